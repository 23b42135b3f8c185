package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// membershipOf is the membership id of an address in Acme.
func (s *site) membershipOf(email string) string {
	s.t.Helper()
	var id string
	if err := s.db.R.QueryRow(`SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email_norm = ?`, email).Scan(&id); err != nil {
		s.t.Fatal(err)
	}
	return id
}

// TestConsoleMemberPageReadsAsSentences: how someone joined is shown as a value that starts a
// line ("An admin", not "an admin"), and the delete card says what it does: it removes the
// person from this organization, not their account.
func TestConsoleMemberPageReadsAsSentences(t *testing.T) {
	s := newSite(t)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	s.member("mel@example.com", "mel's long password")
	p := a.get("/console/acme/members/" + s.membershipOf("mel@example.com"))
	if got := p.text(); !strings.Contains(got, "Joined through An admin Member since") {
		t.Errorf("Mel's page: %s", got)
	}
	p.mustContain(t, "<h2>Remove from Acme</h2>")
	if strings.Contains(p.body, "<h2>Delete</h2>") {
		t.Error("the card is still headed Delete")
	}
	link := s.invite("ivy@example.com")
	b := s.browser()
	b.get(link)
	if p := b.post(link, "step", "signup", "name", "Ivy", "password", "ivy's long password"); p.status != 303 {
		t.Fatalf("sign up: %d", p.status)
	}
	if got := a.get("/console/acme/members/" + s.membershipOf("ivy@example.com")).text(); !strings.Contains(got, "Joined through An invitation") {
		t.Errorf("Ivy's page: %s", got)
	}
	// An invitation made from the command line says so the same way.
	res, err := s.svc.Invite(context.Background(), s.admin, org.InviteRequest{Emails: []string{"cli@example.com"}})
	if err != nil || len(res.Created) != 1 {
		t.Fatalf("invite: %v %+v", err, res)
	}
	a.get("/console/acme/invitations/"+res.Created[0].Invitation.ID).mustContain(t, "Invited by</dt><dd><span class=\"muted\">An API token or the command line")
}
