package web_test

import (
	"strings"
	"testing"
)

// TestTokenFormsWithTheContractFieldsOnly: a client that posts only the fields DESIGN.md names
// (_csrf, then name and password to sign up, or password to sign in), without the pages' hidden
// step field, signs up or signs in and joins, as through the pages.
func TestTokenFormsWithTheContractFieldsOnly(t *testing.T) {
	s := newSite(t)
	link := s.invite("nina@example.com")
	b := s.browser()
	b.get(link)
	p := b.post(link, "name", "Nina New", "password", "correct horse battery")
	if p.status != 303 || !strings.HasPrefix(p.location, "/?joined=") {
		t.Fatalf("invitation sign-up: %d %q %s", p.status, p.location, p.body)
	}
	b.get(p.location).mustContain(t, "Hello, Nina New", "Welcome to Acme")

	// Someone with an account signs in with their password alone.
	other, err := s.svc.CreateOrg(t.Context(), s.admin, "beta", "Beta")
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.svc.Invite(t.Context(), adminOf(s, other.ID), inviteReq("nina@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	link = strings.TrimPrefix(res.Created[0].AcceptURL, "http://lobby.test")
	b = s.browser()
	b.get(link)
	if p = b.post(link, "password", "wrong password!"); p.status != 422 {
		t.Fatalf("sign-in with a wrong password: %d", p.status)
	}
	if p = b.post(link, "password", "correct horse battery"); p.status != 303 || !strings.HasPrefix(p.location, "/?joined=Beta") {
		t.Fatalf("invitation sign-in: %d %q %s", p.status, p.location, p.body)
	}

	// The join page's confirmation link.
	path := s.openJoin()
	b = s.browser()
	b.get(path)
	b.post(path, "email", "jo@example.com")
	link = s.joinLink("jo@example.com")
	b.get(link)
	if p = b.post(link, "name", "Jo", "password", "jo's long password"); p.status != 303 {
		t.Fatalf("join sign-up: %d %s", p.status, p.body)
	}
	if n := s.count(`SELECT count(*) FROM memberships WHERE source = 'join'`); n != 1 {
		t.Fatalf("join memberships: %d", n)
	}
}
