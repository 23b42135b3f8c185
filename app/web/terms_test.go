package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// withTerms gives Acme terms people must agree to.
func withTerms(t *testing.T, s *site) {
	t.Helper()
	terms := "https://acme.test/terms"
	if _, err := s.svc.UpdateSettings(context.Background(), s.admin, org.SettingsPatch{TermsURL: &terms}); err != nil {
		t.Fatal(err)
	}
}

// Every way into an organization with terms asks for them, not only a new account's sign-up:
// accepting an invitation while signed in, signing in to accept it, and confirming a join
// while signed in. Without the box nothing happens; with it the person is in.
func TestEveryWayInAsksForTheTerms(t *testing.T) {
	s := newSite(t)
	withTerms(t, s)
	in := func(email string) int {
		return s.count(`SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email_norm = ?`, email)
	}

	// Accepting while signed in (Mel has an account in Acme's sister organization).
	beta, err := s.svc.CreateOrg(context.Background(), s.admin, "beta", "Beta")
	if err != nil {
		t.Fatal(err)
	}
	h, _ := s.svc.HashPassword(context.Background(), "mel's long password")
	if _, err := s.svc.AddMember(context.Background(), adminOf(s, beta.ID), org.NewMember{Email: "mel@example.com", Name: "Mel", PasswordHash: h}); err != nil {
		t.Fatal(err)
	}
	link := s.invite("mel@example.com")
	b := s.browser()
	b.get("/login")
	b.post("/login", "email", "mel@example.com", "password", "mel's long password")
	b.get(link).mustContain(t, `<input type="hidden" name="step" value="accept">`, `name="terms" value="yes" required`)
	if p := b.post(link, "step", "accept"); p.status != 422 || in("mel@example.com") != 1 {
		t.Fatalf("accepting without the terms: %d, memberships %d", p.status, in("mel@example.com"))
	} else {
		p.mustContain(t, "Please agree to the terms to join.")
	}
	if p := b.post(link, "step", "accept", "terms", "yes"); p.status != 303 || in("mel@example.com") != 2 {
		t.Fatalf("accepting with the terms: %d, memberships %d", p.status, in("mel@example.com"))
	}

	// Signing in to accept.
	if _, err := s.svc.AddMember(context.Background(), adminOf(s, beta.ID), org.NewMember{Email: "sid@example.com", Name: "Sid", PasswordHash: h}); err != nil {
		t.Fatal(err)
	}
	link = s.invite("sid@example.com")
	c := s.browser()
	c.get(link).mustContain(t, `<input type="hidden" name="step" value="signin">`, `name="terms" value="yes" required`)
	if p := c.post(link, "step", "signin", "password", "mel's long password"); p.status != 422 || in("sid@example.com") != 1 {
		t.Fatalf("signing in to accept without the terms: %d", p.status)
	}
	if p := c.post(link, "step", "signin", "password", "mel's long password", "terms", "yes"); p.status != 303 || in("sid@example.com") != 2 {
		t.Fatalf("signing in to accept with the terms: %d", p.status)
	}

	// Confirming a join while signed in.
	path := s.openJoin()
	d := s.browser()
	d.get("/login")
	d.post("/login", "email", "mel@example.com", "password", "mel's long password")
	if _, err := s.svc.DeleteMember(context.Background(), s.admin, membershipOf(t, s, "mel@example.com")); err != nil {
		t.Fatal(err)
	}
	d.get(path)
	d.post(path, "email", "mel@example.com")
	join := s.joinLink("mel@example.com")
	d.get(join).mustContain(t, `<input type="hidden" name="step" value="confirm">`, `name="terms" value="yes" required`)
	if p := d.post(join, "step", "confirm"); p.status != 422 || in("mel@example.com") != 1 {
		t.Fatalf("confirming a join without the terms: %d", p.status)
	}
	if p := d.post(join, "step", "confirm", "terms", "yes"); p.status != 303 || in("mel@example.com") != 2 {
		t.Fatalf("confirming a join with the terms: %d %s", p.status, p.body)
	}
}

// The work-account buttons say that continuing agrees to the terms: the button is the box.
func TestWorkAccountButtonsSayTheyAgreeToTheTerms(t *testing.T) {
	s := newSSOSite(t)
	withTerms(t, s.site)
	for _, path := range []string{s.invite("ann@example.com"), s.openJoin()} {
		p := s.web().get(path)
		p.mustContain(t, "Continue with Test IdP", "By continuing with your work account you agree to the", `href="https://acme.test/terms"`)
		if strings.Count(p.body, "By continuing with your work account") != 1 {
			t.Errorf("%s says it more than once", path)
		}
	}
}

// membershipOf is the id of a person's membership in Acme.
func membershipOf(t *testing.T, s *site, email string) string {
	t.Helper()
	var id string
	if err := s.db.R.QueryRow(`SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE u.email_norm = ? AND m.org_id = ?`, email, s.org.ID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}
