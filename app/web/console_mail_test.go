package web_test

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// TestConsoleMailHidesLinkTokens: an admin reading a queued join confirmation in the console
// sees the email without its link's token, so they cannot confirm the join in that person's
// name; the person's email still has the whole link.
func TestConsoleMailHidesLinkTokens(t *testing.T) {
	s := newSite(t)
	path := s.openJoin()
	b := s.browser()
	b.get(path)
	b.post(path, "email", "jo@example.com")
	link := s.joinLink("jo@example.com")
	secret := strings.TrimPrefix(link, "/join/confirm/")
	var id string
	if err := s.db.R.QueryRow(`SELECT id FROM outbox WHERE template = 'join_confirm'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	p := a.get("/console/acme/mail/" + id)
	if p.status != 200 {
		t.Fatalf("mail page: %d", p.status)
	}
	p.mustContain(t, "jo@example.com", "/join/confirm/lbj_…")
	if strings.Contains(p.body, secret) {
		t.Fatal("the console shows the confirmation link's token")
	}
}

// TestConsoleMailNamesEveryTemplate: the Mail screen names each email in words (one for every
// template in public/templates/mail), and its status filter is labelled and words failures as
// the status chip does.
func TestConsoleMailNamesEveryTemplate(t *testing.T) {
	s := newSite(t)
	files, err := filepath.Glob("../../public/templates/mail/*.txt.tmpl")
	if err != nil || len(files) < 10 {
		t.Fatalf("mail templates: %v %v", files, err)
	}
	var mails []store.OutboxMail
	for _, f := range files {
		mails = append(mails, store.OutboxMail{ID: store.NewID(), OrgID: s.org.ID, Template: strings.TrimSuffix(filepath.Base(f), ".txt.tmpl"),
			To: "someone@example.com", Data: []byte("{}")})
	}
	if err := store.EnqueueMails(context.Background(), s.db.W, mails, s.clock.Now().UnixMilli()); err != nil {
		t.Fatal(err)
	}
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	p := a.get("/console/acme/mail")
	p.mustContain(t, `<th scope="col">Message</th>`, `<label for="mstatus">Status</label>`, `<option value="failed" >Delivery failed</option>`)
	shown := map[string]string{}
	for _, m := range regexp.MustCompile(`<a href="/console/acme/mail/([^"]+)">([^<]*)</a>`).FindAllStringSubmatch(p.body, -1) {
		shown[m[1]] = m[2]
	}
	for _, m := range mails {
		if name, ok := shown[m.ID]; !ok {
			t.Errorf("the %s email is not listed", m.Template)
		} else if name == m.Template || strings.Contains(name, "_") {
			t.Errorf("the %s email is listed as %q", m.Template, name)
		}
	}
	a.get("/console/acme/mail/"+mails[0].ID).mustContain(t, "<dt>Message</dt><dd>Invitation accepted</dd>")
}
