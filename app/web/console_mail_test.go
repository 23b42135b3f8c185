package web_test

import (
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
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
