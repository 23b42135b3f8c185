package web_test

import (
	"strings"
	"testing"
)

// TestJoiningRotatesTheSession: a person already signed in who accepts an invitation gets a new
// session id, and the one they had before (which someone may have seen) no longer signs in.
func TestJoiningRotatesTheSession(t *testing.T) {
	s := newSite(t)
	s.member("pat@example.com", "pat's long password")
	other, err := s.svc.CreateOrg(t.Context(), s.admin, "beta", "Beta")
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.svc.Invite(t.Context(), adminOf(s, other.ID), inviteReq("pat@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	link := strings.TrimPrefix(res.Created[0].AcceptURL, "http://lobby.test")
	b := s.browser()
	b.get("/login")
	if p := b.post("/login", "email", "pat@example.com", "password", "pat's long password"); p.status != 303 {
		t.Fatalf("login: %d", p.status)
	}
	before := b.cookies["lobby_session"]
	if p := b.post(link, "step", "accept"); p.status != 303 || !strings.HasPrefix(p.location, "/?joined=Beta") {
		t.Fatalf("accept: %d %q %s", p.status, p.location, p.body)
	}
	if after := b.cookies["lobby_session"]; after == "" || after == before {
		t.Fatalf("the session id did not change on joining (%q)", after)
	}
	b.get("/").mustContain(t, "Acme", "Beta")
	stale := s.browser()
	stale.cookies["lobby_session"] = before
	if p := stale.get("/"); p.status != 303 || !strings.HasPrefix(p.location, "/login") {
		t.Fatalf("the session id from before joining still works: %d %q", p.status, p.location)
	}
}
