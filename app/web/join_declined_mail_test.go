package web_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// TestJoinRequestDeclinedIsMailed: when an admin declines a request to join in the console, the
// person gets an email saying it was not approved, with no sign-in button, and does not become a
// member.
func TestJoinRequestDeclinedIsMailed(t *testing.T) {
	s := newSite(t)
	path := s.openJoin(approval)
	_, id := s.requestJoin(path, "ana@example.com", "Ana")
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	a.get("/console/acme/invitations/" + id)
	p := a.post("/console/acme/invitations/" + id + "/decline")
	if p.status != 303 {
		t.Fatalf("decline: %d %s", p.status, p.body)
	}
	a.get(p.location).mustContain(t, "Declined. They have been told.")

	var raw []byte
	if err := s.db.R.QueryRow(`SELECT data FROM outbox WHERE template = 'join_decided' AND to_addr = 'ana@example.com'`).Scan(&raw); err != nil {
		t.Fatalf("no decision email to Ana: %v", err)
	}
	var data map[string]any
	if err := json.Unmarshal(raw, &data); err != nil {
		t.Fatal(err)
	}
	if data["Approved"] != false || data["OrgName"] != "Acme" {
		t.Fatalf("decision email data: %v", data)
	}
	mails := s.mailsOf("join_decided")
	if len(mails) != 1 {
		t.Fatalf("%d decision emails", len(mails))
	}
	m := mails[0]
	if m.subject != "Your request to join Acme" {
		t.Errorf("subject %q", m.subject)
	}
	if !strings.Contains(m.text, "An admin of Acme did not approve your request to join.") {
		t.Errorf("text:\n%s", m.text)
	}
	if strings.Contains(m.text+m.html, "approved your request") || strings.Contains(m.html, "Sign in</a>") {
		t.Errorf("the email reads as an approval:\n%s", m.html)
	}
	if n := s.count(`SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email_norm = 'ana@example.com'`); n != 0 {
		t.Fatal("a declined request made a member")
	}
	if n := s.count(`SELECT count(*) FROM invitations WHERE id = ? AND status = 'revoked'`, id); n != 1 {
		t.Fatal("the request is not closed as declined")
	}
}
