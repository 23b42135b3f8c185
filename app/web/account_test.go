package web_test

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lobby/lobby/app/org"
)

func adminOf(s *site, orgID string) org.Actor { return org.SystemActor("cli", "t", orgID) }
func inviteReq(emails ...string) org.InviteRequest {
	return org.InviteRequest{Emails: emails, Notify: true}
}

func TestLoginRotatesSessionAndLogoutEndsIt(t *testing.T) {
	s := newSite(t)
	s.member("sam@example.com", "sam's long password")
	s.member("mal@example.com", "mal's long password")
	// Fixation: Mal signs in, and plants his own live session (and its form token) in Sam's browser.
	mal := s.browser()
	mal.get("/login")
	mal.post("/login", "email", "mal@example.com", "password", "mal's long password")
	planted := mal.cookies["lobby_session"]
	if planted == "" {
		t.Fatal("Mal has no session")
	}
	b := s.browser()
	b.cookies["lobby_session"], b.cookies["lobby_csrf"] = planted, mal.cookies["lobby_csrf"]
	b.get("/login")
	p := b.post("/login", "email", "sam@example.com", "password", "sam's long password", "next", "/profile")
	if p.status != 303 || p.location != "/profile" {
		t.Fatalf("login: %d %q", p.status, p.location)
	}
	sid := b.cookies["lobby_session"]
	if sid == "" || sid == planted {
		t.Fatalf("session id after login: %q (planted %q)", sid, planted)
	}
	b.get("/profile").mustContain(t, "Your profile", "sam@example.com")
	if strings.Contains(mal.get("/profile").body, "sam@example.com") {
		t.Fatal("the planted session id is signed in as Sam")
	}
	// Logout is a POST and ends the session in the database.
	if p := b.get("/logout"); p.status != 200 {
		t.Fatalf("logout page: %d", p.status)
	}
	if p := b.post("/logout"); p.status != 303 {
		t.Fatalf("logout: %d", p.status)
	}
	thief := s.browser()
	thief.cookies["lobby_session"] = sid
	if p := thief.get("/"); p.status != 303 || !strings.HasPrefix(p.location, "/login") {
		t.Fatalf("old session still works: %d %q", p.status, p.location)
	}
}

func TestLoginSameAnswerForUnknownAddress(t *testing.T) {
	s := newSite(t)
	s.member("kim@example.com", "kim's long password")
	b := s.browser()
	b.get("/login")
	known := b.post("/login", "email", "kim@example.com", "password", "not the password")
	unknown := b.post("/login", "email", "nobody@example.com", "password", "not the password")
	if known.status != unknown.status || known.status != 401 {
		t.Fatalf("statuses %d vs %d", known.status, unknown.status)
	}
	strip := func(p page, email string) string { return strings.ReplaceAll(p.body, email, "EMAIL") }
	if strip(known, "kim@example.com") != strip(unknown, "nobody@example.com") {
		t.Fatal("the answers differ between a known and an unknown address")
	}
}

func TestFailedLoginsAreThrottled(t *testing.T) {
	s := newSite(t)
	s.member("lee@example.com", "lee's long password")
	b := s.browser()
	b.get("/login")
	for range 5 {
		b.post("/login", "email", "lee@example.com", "password", "guess guess")
	}
	p := b.post("/login", "email", "lee@example.com", "password", "lee's long password")
	if p.status != 429 {
		t.Fatalf("the right password after 5 failures in the window: %d", p.status)
	}
	p.mustContain(t, "Too many failed sign-ins")
	// Another address from another browser is not locked out by Lee's failures.
	s.member("max@example.com", "max's long password")
	o := s.browser()
	o.get("/login")
	if p := o.post("/login", "email", "max@example.com", "password", "max's long password"); p.status != 303 {
		t.Fatalf("max: %d", p.status)
	}
	// After the window passes, Lee can sign in again.
	s.clock.Add(16 * time.Minute)
	if p := b.post("/login", "email", "lee@example.com", "password", "lee's long password"); p.status != 303 {
		t.Fatalf("after the window: %d", p.status)
	}
}

// Guesses sent all at once are counted before any password is checked, so no more of them are
// tried than the limit allows one after another.
func TestParallelLoginGuessesStayWithinTheLimit(t *testing.T) {
	s := newSite(t)
	s.member("lee@example.com", "lee's long password")
	const guesses = 20
	browsers := make([]*browser, guesses)
	for i := range browsers {
		browsers[i] = s.browser()
		browsers[i].get("/login")
	}
	statuses := make([]int, guesses)
	var wg sync.WaitGroup
	for i, b := range browsers {
		wg.Go(func() { statuses[i] = b.post("/login", "email", "lee@example.com", "password", "guess guess").status })
	}
	wg.Wait()
	tried := 0
	for _, st := range statuses {
		switch st {
		case 401:
			tried++
		case 429:
		default:
			t.Fatalf("a guess answered %d", st)
		}
	}
	if tried > 5 {
		t.Fatalf("%d of %d parallel guesses had their password checked; the limit is 5", tried, guesses)
	}
	if p := browsers[0].post("/login", "email", "lee@example.com", "password", "lee's long password"); p.status != 429 {
		t.Fatalf("the right password after the parallel guesses: %d", p.status)
	}
}

func TestRedirectsStayLocal(t *testing.T) {
	s := newSite(t)
	s.member("ray@example.com", "ray's long password")
	for _, next := range []string{"//evil.example", `/\evil.example`, "https://evil.example", "javascript:alert(1)",
		"/%2F%2Fevil.example", "%2F%2Fevil.example", "/%5Cevil.example", "/\t/evil.example", "/%09/evil.example"} {
		b := s.browser()
		b.get("/login")
		p := b.post("/login", "email", "ray@example.com", "password", "ray's long password", "next", next)
		if p.status != 303 || p.location != "/" {
			t.Errorf("next=%q redirected to %q", next, p.location)
		}
	}
	b := s.browser()
	b.get("/login")
	if p := b.post("/login", "email", "ray@example.com", "password", "ray's long password", "next", "/profile?tab=1"); p.location != "/profile?tab=1" {
		t.Fatalf("a local next was dropped: %q", p.location)
	}
}

func TestCrossSitePostsAreRefused(t *testing.T) {
	s := newSite(t)
	s.member("cy@example.com", "cy's long password")
	for _, tc := range []struct{ name, header, value string }{
		{"cross-site fetch", "Sec-Fetch-Site", "cross-site"},
		{"foreign origin", "Origin", "https://evil.example"},
	} {
		b := s.browser()
		b.get("/login")
		b.headers[tc.header] = tc.value
		if p := b.post("/login", "email", "cy@example.com", "password", "cy's long password"); p.status != 403 {
			t.Errorf("%s: %d", tc.name, p.status)
		}
	}
	// A page with no referrer makes the browser send "Origin: null" on its own form: that is
	// fine when the fetch is same-origin, and refused when it is not.
	for _, tc := range []struct {
		site   string
		status int
	}{{"same-origin", 303}, {"cross-site", 403}} {
		b := s.browser()
		b.get("/login")
		b.headers["Origin"], b.headers["Sec-Fetch-Site"] = "null", tc.site
		if p := b.post("/login", "email", "cy@example.com", "password", "cy's long password"); p.status != tc.status {
			t.Errorf("Origin null, %s: %d, want %d", tc.site, p.status, tc.status)
		}
	}
	// A token from another browser does not match this one's cookie.
	a, b := s.browser(), s.browser()
	a.get("/login")
	b.get("/login")
	f := url.Values{"_csrf": {a.cookies["lobby_csrf"]}, "email": {"cy@example.com"}, "password": {"cy's long password"}}
	if p := b.do("POST", "/login", f); p.status != 403 {
		t.Fatalf("foreign csrf token: %d", p.status)
	}
}

func TestPasswordResetFlows(t *testing.T) {
	s := newSite(t)
	s.member("ana@example.com", "ana's old password")
	s.invite("invitee@example.com")
	before := s.browser()
	before.get("/login")
	before.post("/login", "email", "ana@example.com", "password", "ana's old password")

	b := s.browser()
	b.get("/reset")
	var bodies []string
	for _, e := range []string{"ana@example.com", "invitee@example.com", "ghost@example.com"} {
		p := b.post("/reset", "email", e)
		if p.status != 200 {
			t.Fatalf("%s: %d", e, p.status)
		}
		bodies = append(bodies, strings.ReplaceAll(p.body, e, "EMAIL"))
	}
	if bodies[0] != bodies[1] || bodies[1] != bodies[2] {
		t.Fatal("reset answers differ by address")
	}
	if n := s.count(`SELECT count(*) FROM outbox WHERE template = 'password_reset' AND to_addr = 'ana@example.com' AND data LIKE '%"Site":"lobby.test"%'`); n != 1 {
		t.Fatalf("reset mails: %d", n)
	}
	// Someone with only an invitation is pointed to it with a fresh link.
	if n := s.count(`SELECT count(*) FROM outbox WHERE template = 'reset_invite' AND to_addr = 'invitee@example.com'`); n != 1 {
		t.Fatalf("reset_invite mails: %d", n)
	}
	if n := s.count(`SELECT count(*) FROM outbox WHERE to_addr = 'ghost@example.com'`); n != 0 {
		t.Fatal("mailed an unknown address")
	}
	link := resetLink(t, s)
	if p := b.get(link); p.status != 200 || p.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("reset page: %d", p.status)
	}
	if p := b.post(link, "password", "ana's new password"); p.status != 303 {
		t.Fatalf("reset: %d %s", p.status, p.body)
	}
	// The old session ended; the link works once; the new password signs in.
	if p := before.get("/"); p.status != 303 {
		t.Fatalf("a session from before the reset still works: %d", p.status)
	}
	if p := s.browser().get(link); p.status != 410 {
		t.Fatalf("reset link reused: %d", p.status)
	} else {
		p.mustContain(t, "This reset link can't be used", "A reset link works once, for an hour", `href="/reset"`, "Send a new link")
	}
	c := s.browser()
	c.get("/login")
	if p := c.post("/login", "email", "ana@example.com", "password", "ana's new password"); p.status != 303 {
		t.Fatalf("new password: %d", p.status)
	}
}

func resetLink(t *testing.T, s *site) string {
	t.Helper()
	var data string
	if err := s.db.R.QueryRowContext(context.Background(), `SELECT data FROM outbox WHERE template = 'password_reset' ORDER BY id DESC LIMIT 1`).Scan(&data); err != nil {
		t.Fatal(err)
	}
	i := strings.Index(data, "http://lobby.test/reset/")
	j := strings.Index(data[i:], `"`)
	return strings.TrimPrefix(data[i:i+j], "http://lobby.test")
}

func TestSetupLinkWorksOnce(t *testing.T) {
	s := newSite(t)
	// Setup is open only while the instance has nobody.
	if _, err := s.db.W.ExecContext(context.Background(), `DELETE FROM users`); err != nil {
		t.Fatal(err)
	}
	link, err := s.svc.NewSetupLink(context.Background())
	if err != nil || link == "" {
		t.Fatalf("setup link %q: %v", link, err)
	}
	path := strings.TrimPrefix(link, "http://lobby.test")
	b := s.browser()
	b.get(path).mustContain(t, "Welcome to Lobby", "Create organization")
	p := b.post(path, "org_name", "Zeta Club", "slug", "zeta", "name", "Zoe", "email", "zoe@zeta.example", "password", "zoe's long password")
	if p.status != 303 {
		t.Fatalf("setup: %d %s", p.status, p.body)
	}
	b.get("/").mustContain(t, "Zeta Club", "Owner")
	if p := s.browser().get(path); p.status != 410 {
		t.Fatalf("setup link reused: %d", p.status)
	} else {
		p.mustContain(t, "Lobby is already set up with this link; sign in instead.", `href="/login"`)
	}
	if link, _ := s.svc.NewSetupLink(context.Background()); link != "" {
		t.Fatal("a new setup link was made after setup")
	}
}
