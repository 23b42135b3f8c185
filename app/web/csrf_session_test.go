package web_test

import (
	"strings"
	"testing"
)

// TestSignedInFormsNeedTheSessionsToken: signed in, a form's token must be the one the server
// keeps with the session. A CSRF cookie planted from elsewhere (a sibling host over http can
// set one), with a form written to match it, is refused; a browser that lost its CSRF cookie
// (closed and reopened) gets the session's token back with the next page.
func TestSignedInFormsNeedTheSessionsToken(t *testing.T) {
	s := newSite(t)
	s.member("cy@example.com", "cy's long password")
	b := s.browser()
	b.get("/login")
	before := b.cookies["lobby_csrf"]
	if p := b.post("/login", "email", "cy@example.com", "password", "cy's long password"); p.status != 303 {
		t.Fatalf("login: %d", p.status)
	}
	token := b.cookies["lobby_csrf"]
	if token == "" || token == before {
		t.Fatal("signing in kept the token from before")
	}
	if n := s.count(`SELECT count(*) FROM sessions WHERE csrf = ?`, token); n != 1 {
		t.Fatalf("the session does not hold the form token (%d)", n)
	}
	planted := strings.Repeat("P", 43)
	b.cookies["lobby_csrf"] = planted
	if p := b.do("POST", "/profile", map[string][]string{"_csrf": {planted}, "name": {"Mallory"}}); p.status != 403 {
		t.Fatalf("a planted token: %d", p.status)
	}
	if n := s.count(`SELECT count(*) FROM users WHERE name = 'Mallory'`); n != 0 {
		t.Fatal("the planted token changed the name")
	}
	delete(b.cookies, "lobby_csrf")
	b.get("/profile").mustContain(t, `name="_csrf" value="`+token+`"`)
	if b.cookies["lobby_csrf"] != token {
		t.Fatalf("the page did not give the session's token back: %q", b.cookies["lobby_csrf"])
	}
	if p := b.post("/profile", "name", "Cy"); p.status != 303 {
		t.Fatalf("a form with the session's token: %d", p.status)
	}
}
