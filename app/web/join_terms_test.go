package web_test

import (
	"testing"

	"github.com/lobby/lobby/app/org"
)

// TestJoinSignUpNeedsTheTerms: an organization with terms asks people who join by its link to
// agree to them, as its invitations do, and a sign-up without the box ticked is refused with a
// message and creates nothing; the link still works for a second try.
func TestJoinSignUpNeedsTheTerms(t *testing.T) {
	s := newSite(t)
	path := s.openJoin(func(p *org.SettingsPatch) { terms := "https://acme.test/terms"; p.TermsURL = &terms })
	b := s.browser()
	b.get(path)
	b.post(path, "email", "tia@example.com")
	link := s.joinLink("tia@example.com")
	b.get(link).mustContain(t, `name="terms" value="yes" required`, "I agree to the", `href="https://acme.test/terms"`, "terms of Acme")
	p := b.post(link, "step", "signup", "name", "Tia", "password", "tia's long password")
	if p.status != 422 {
		t.Fatalf("sign-up without the terms: %d", p.status)
	}
	p.mustContain(t, "Please agree to the terms to join.", `value="Tia"`)
	if n := s.count(`SELECT count(*) FROM users WHERE email_norm = 'tia@example.com'`); n != 0 {
		t.Fatal("a sign-up without the terms made an account")
	}
	if n := s.count(`SELECT count(*) FROM link_tokens WHERE kind = 'join' AND used_at IS NOT NULL`); n != 0 {
		t.Fatal("a sign-up without the terms used up the link")
	}
	p = b.post(link, "step", "signup", "name", "Tia", "password", "tia's long password", "terms", "yes")
	if p.status != 303 {
		t.Fatalf("sign-up with the terms: %d %s", p.status, p.body)
	}
	if n := s.count(`SELECT count(*) FROM memberships WHERE source = 'join'`); n != 1 {
		t.Fatalf("join memberships: %d", n)
	}
}
