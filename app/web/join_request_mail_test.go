package web_test

import (
	"encoding/json"
	"fmt"
	"html"
	"slices"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// queuedMail is one email of the outbox, rendered as the sender will send it.
type queuedMail struct {
	to, invitationID, subject, text, html string
}

// mailsOf renders every queued email of one template, oldest first.
func (s *site) mailsOf(template string) []queuedMail {
	s.t.Helper()
	rows, err := s.db.R.Query(`SELECT to_addr, COALESCE(invitation_id, ''), data FROM outbox WHERE template = ? ORDER BY id`, template)
	if err != nil {
		s.t.Fatal(err)
	}
	defer rows.Close()
	r, err := mailRenderer()
	if err != nil {
		s.t.Fatal(err)
	}
	var out []queuedMail
	for rows.Next() {
		var m queuedMail
		var data []byte
		var d map[string]any
		if err := rows.Scan(&m.to, &m.invitationID, &data); err != nil {
			s.t.Fatal(err)
		}
		if err := json.Unmarshal(data, &d); err != nil {
			s.t.Fatal(err)
		}
		msg, err := r.Render(template, d)
		if err != nil {
			s.t.Fatalf("%s to %s does not render: %v", template, m.to, err)
		}
		m.subject, m.text, m.html = msg.Subject, msg.Text, html.UnescapeString(msg.HTML)
		out = append(out, m)
	}
	return out
}

// TestJoinRequestIsMailedToWhoMayDecideIt: a request made on the join page is emailed, with a
// button to its console page, to the people who may approve it (a role with members:manage),
// and to nobody else: not to someone who may only invite, nor a deactivated admin, nor a
// disabled account. The email carries no link of the person's own. Asking again while the
// request waits sends nothing more.
func TestJoinRequestIsMailedToWhoMayDecideIt(t *testing.T) {
	s := newSite(t)
	ctx := t.Context()
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	for key, perms := range map[string][]string{"gatekeeper": {"members:read", "members:manage"}, "inviter": {"invitations:manage"}} {
		if _, err := s.svc.CreateRole(ctx, s.admin, key, key, perms); err != nil {
			t.Fatal(err)
		}
	}
	for email, role := range map[string]string{"gil@acme.test": "gatekeeper", "ivo@acme.test": "inviter", "dee@acme.test": org.RoleAdmin,
		"dis@acme.test": org.RoleAdmin} {
		m, err := s.svc.AddMember(ctx, s.admin, org.NewMember{Email: email, Role: role})
		if err != nil {
			t.Fatal(err)
		}
		if email == "dee@acme.test" {
			off := "deactivated"
			if _, err := s.svc.UpdateMember(ctx, s.admin, m.ID, org.MemberEdit{Status: &off}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := s.db.W.Exec(`UPDATE users SET disabled_at = 1 WHERE email_norm = 'dis@acme.test'`); err != nil {
		t.Fatal(err)
	}
	path := s.openJoin(approval)
	b, id := s.requestJoin(path, "ana@example.com", "Ana")
	mails := s.mailsOf("join_request")
	var to []string
	for _, m := range mails {
		to = append(to, m.to)
	}
	if want := []string{"olga@acme.test", "ada@acme.test", "gil@acme.test"}; !slices.Equal(to, want) {
		t.Fatalf("the request was mailed to %v, want %v (owners, then admins, then custom roles)", to, want)
	}
	review := "http://lobby.test/console/acme/invitations/" + id
	for _, m := range mails {
		if m.subject != "Ana asked to join Acme" {
			t.Errorf("subject %q", m.subject)
		}
		if !strings.Contains(m.text, "Ana (ana@example.com) confirmed their address on the join page of Acme and asked to join.") ||
			!strings.Contains(m.text, review) {
			t.Errorf("text:\n%s", m.text)
		}
		if !strings.Contains(m.html, `href="`+review+`"`) || !strings.Contains(m.html, "Review the request</a>") {
			t.Errorf("HTML has no button to the request:\n%s", m.html)
		}
		if m.invitationID != "" {
			t.Error("the notice is tied to the request, so the sender would cancel it")
		}
		if strings.Contains(m.text+m.html, "/join/confirm/") || strings.Contains(m.text+m.html, "lbj_") {
			t.Errorf("the notice carries the person's own link:\n%s", m.text)
		}
	}
	// The button opens the request, for the admin who follows it.
	a.get(strings.TrimPrefix(review, "http://lobby.test")).mustContain(t, "Request to join from ana@example.com", "Approve")
	// Ana asks again while her request waits: no new notice.
	b.post(path, "email", "ana@example.com")
	link := s.joinLink("ana@example.com")
	b.get(link)
	b.post(link, "step", "confirm").mustContain(t, "Your request to join Acme was sent")
	if n := len(s.mailsOf("join_request")); n != 3 {
		t.Fatalf("asking again sent %d notices in all, want the first 3", n)
	}
}

// TestJoinRequestMailIsBounded: an organization with many admins mails each request to five of
// them, owners first.
func TestJoinRequestMailIsBounded(t *testing.T) {
	s := newSite(t)
	for i := range 8 {
		if _, err := s.svc.AddMember(t.Context(), s.admin, org.NewMember{Email: fmt.Sprintf("admin%d@acme.test", i), Role: org.RoleAdmin}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.svc.AddMember(t.Context(), s.admin, org.NewMember{Email: "otto@acme.test", Role: org.RoleOwner}); err != nil {
		t.Fatal(err)
	}
	path := s.openJoin(approval)
	s.requestJoin(path, "bo@example.com", "Bo")
	mails := s.mailsOf("join_request")
	var to []string
	for _, m := range mails {
		to = append(to, m.to)
	}
	if want := []string{"olga@acme.test", "otto@acme.test", "admin0@acme.test", "admin1@acme.test", "admin2@acme.test"}; !slices.Equal(to, want) {
		t.Fatalf("mailed to %v, want %v", to, want)
	}
}
