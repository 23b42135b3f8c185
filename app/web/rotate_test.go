package web_test

import (
	"strings"
	"testing"
	"time"
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
	var ends int64
	if err := s.db.R.QueryRow(`SELECT s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email_norm = 'pat@example.com'`).Scan(&ends); err != nil {
		t.Fatal(err)
	}
	s.clock.Add(time.Hour)
	if p := b.post(link, "step", "accept"); p.status != 303 || !strings.HasPrefix(p.location, "/?joined=Beta") {
		t.Fatalf("accept: %d %q %s", p.status, p.location, p.body)
	}
	if after := b.cookies["lobby_session"]; after == "" || after == before {
		t.Fatalf("the session id did not change on joining (%q)", after)
	}
	b.get("/").mustContain(t, "Acme", "Beta")
	// The same session goes on under the new id: one session, ending when it would have.
	if n := s.count(`SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email_norm = 'pat@example.com' AND s.expires_at = ?`, ends); n != 1 {
		t.Fatalf("%d sessions keep the absolute timeout", n)
	}
	stale := s.browser()
	stale.cookies["lobby_session"] = before
	if p := stale.get("/"); p.status != 303 || !strings.HasPrefix(p.location, "/login") {
		t.Fatalf("the session id from before joining still works: %d %q", p.status, p.location)
	}
}
