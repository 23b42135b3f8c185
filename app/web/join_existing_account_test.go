package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// TestJoinBySigningInOnTheConfirmationPage: someone who already has an account (in another
// organization) confirms their join link by signing in on it and becomes a member with the join
// page's role. Another person signed in on that browser is told the link is for someone else, and
// cannot use it.
func TestJoinBySigningInOnTheConfirmationPage(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	if _, err := s.svc.CreateRole(ctx, s.admin, "learner", "Learner", nil); err != nil {
		t.Fatal(err)
	}
	path := s.openJoin(func(p *org.SettingsPatch) { role := "learner"; p.JoinRole = &role })
	beta, err := s.svc.CreateOrg(ctx, s.admin, "beta", "Beta")
	if err != nil {
		t.Fatal(err)
	}
	h, _ := s.svc.HashPassword(ctx, "sam's long password")
	if _, err := s.svc.AddMember(ctx, adminOf(s, beta.ID), org.NewMember{Email: "sam@example.com", Name: "Sam", PasswordHash: h}); err != nil {
		t.Fatal(err)
	}
	b := s.browser()
	b.get(path)
	b.post(path, "email", "sam@example.com")
	link := s.joinLink("sam@example.com")

	// Mo, a member signed in on another browser, opens Sam's link.
	mo := s.signedIn("mo@acme.test", org.RoleMember)
	mo.get(link).mustContain(t, "You are signed in as <strong>mo@acme.test</strong>. Sign out, then open the link again.", "Sign out and continue")
	p := mo.post(link, "step", "confirm")
	if p.status != 422 {
		t.Fatalf("someone else confirming: %d %q", p.status, p.location)
	}
	p.mustContain(t, "This link is for sam@example.com; sign in as that person.")
	if n := s.count(`SELECT count(*) FROM memberships WHERE source = 'join'`); n != 0 {
		t.Fatal("someone else's confirmation made a member")
	}

	// Sam opens it signed out: the page asks for the password, not a new account.
	page := b.get(link)
	page.mustContain(t, "You already have an account. Sign in to join.", "Sign in and join")
	if strings.Contains(page.body, "Choose a password") {
		t.Fatal("the confirmation page offers a new account to someone who has one")
	}
	if p := b.post(link, "step", "signin", "password", "not sam's password"); p.status != 422 {
		t.Fatalf("wrong password: %d %q", p.status, p.location)
	}
	p = b.post(link, "step", "signin", "password", "sam's long password")
	if p.status != 303 || !strings.HasPrefix(p.location, "/?joined=Acme") {
		t.Fatalf("signing in to join: %d %q %s", p.status, p.location, p.body)
	}
	b.get(p.location).mustContain(t, "Hello, Sam", "Acme", "Learner", "Beta")
	var role, source string
	if err := s.db.R.QueryRow(`SELECT r.key, m.source FROM memberships m JOIN roles r ON r.id = m.role_id
		JOIN users u ON u.id = m.user_id WHERE u.email_norm = 'sam@example.com' AND m.org_id = ?`, s.org.ID).Scan(&role, &source); err != nil {
		t.Fatalf("Sam is not a member of Acme: %v", err)
	}
	if role != "learner" || source != "join" {
		t.Fatalf("Sam joined as %q through %q, want learner through join", role, source)
	}
	if n := s.count(`SELECT count(*) FROM users WHERE email_norm = 'sam@example.com'`); n != 1 {
		t.Fatalf("Sam has %d accounts", n)
	}
}
