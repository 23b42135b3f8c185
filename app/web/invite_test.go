package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/auth/token"
)

func TestInviteSignUpLandsOnDashboard(t *testing.T) {
	s := newSite(t)
	link := s.invite("Newbie@Example.com")
	b := s.browser()
	for range 2 { // opening twice consumes nothing
		p := b.get(link)
		if p.status != 200 || p.header.Get("Cache-Control") != "no-store" || p.header.Get("Referrer-Policy") != "no-referrer" {
			t.Fatalf("invite page %d, headers %v", p.status, p.header)
		}
		p.mustContain(t, "Olga invited you to join Acme", "newbie@example.com", "Create your account", `name="_csrf"`)
	}
	// Without the CSRF token the form is refused and nothing happens.
	p := b.do("POST", link, map[string][]string{"step": {"signup"}, "name": {"N"}, "password": {"correct horse"}})
	if p.status != 403 || s.count(`SELECT count(*) FROM users WHERE email_norm = 'newbie@example.com'`) != 0 {
		t.Fatalf("post without csrf: %d", p.status)
	}
	// A too-short password re-renders the form with the reason and keeps the name.
	p = b.post(link, "step", "signup", "name", "Nina New", "password", "short")
	if p.status != 422 {
		t.Fatalf("short password: %d", p.status)
	}
	p.mustContain(t, "password must be at least 8", `value="Nina New"`)
	if strings.Contains(p.body, "password password") {
		t.Fatal("the message says password twice")
	}
	p = b.post(link, "step", "signup", "name", "Nina New", "password", "correct horse battery")
	if p.status != 303 || !strings.HasPrefix(p.location, "/?joined=") {
		t.Fatalf("signup: %d %q", p.status, p.location)
	}
	if b.cookies["lobby_session"] == "" {
		t.Fatal("no session cookie after sign-up")
	}
	d := b.get(p.location)
	d.mustContain(t, "Hello, Nina New", "Welcome to Acme", "Acme", "Member")
	// The link is used up; it says so in plain words.
	again := s.browser().get(link)
	if again.status != 410 {
		t.Fatalf("reused link: %d", again.status)
	}
	again.mustContain(t, "already been used", "It has been accepted already: sign in to continue.", `href="/login"`)
}

func TestInviteExistingAccountSignsIn(t *testing.T) {
	s := newSite(t)
	other, err := s.svc.CreateOrg(t.Context(), s.admin, "beta", "Beta")
	if err != nil {
		t.Fatal(err)
	}
	_ = other
	s.member("pat@example.com", "pat's long password")
	// Pat is in Acme; Beta invites Pat.
	res, err := s.svc.Invite(t.Context(), adminOf(s, other.ID), inviteReq("pat@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	link := strings.TrimPrefix(res.Created[0].AcceptURL, "http://lobby.test")
	b := s.browser()
	b.get(link).mustContain(t, "already have an account", "Sign in and join")
	p := b.post(link, "step", "signin", "password", "wrong password!")
	if p.status != 422 {
		t.Fatalf("wrong password: %d", p.status)
	}
	p.mustContain(t, "do not match")
	p = b.post(link, "step", "signin", "password", "pat's long password")
	if p.status != 303 {
		t.Fatalf("sign in and accept: %d %s", p.status, p.body)
	}
	// Both organizations are on the dashboard now.
	b.get("/").mustContain(t, "Acme", "Beta")
}

func TestInviteSignedInAsSomeoneElse(t *testing.T) {
	s := newSite(t)
	s.member("eve@example.com", "eve's long password")
	link := s.invite("bob@example.com")
	b := s.browser()
	b.get("/login")
	if p := b.post("/login", "email", "eve@example.com", "password", "eve's long password"); p.status != 303 {
		t.Fatalf("login: %d", p.status)
	}
	b.get(link).mustContain(t, "signed in as", "eve@example.com", "this invitation is for", "bob@example.com", "Sign out and continue")
	p := b.post(link, "step", "accept")
	if p.status != 422 {
		t.Fatalf("accept as the wrong person: %d", p.status)
	}
	p.mustContain(t, "This invitation is for bob@example.com")
	if n := s.count(`SELECT count(*) FROM invitations WHERE status = 'pending'`); n != 1 {
		t.Fatal("the wrong person consumed the invitation")
	}
}

func TestExpiredInviteOffersToAskForANewOne(t *testing.T) {
	s := newSite(t)
	link := s.invite("late@example.com")
	s.clock.Add(8 * 24 * time.Hour)
	b := s.browser()
	p := b.get(link)
	if p.status != 410 {
		t.Fatalf("expired: %d", p.status)
	}
	p.mustContain(t, "This invitation has expired", "Invitations work for a limited time. Olga can send you a new one: press the button", "Ask Olga to send a new invitation")
	if strings.Count(p.body, "has expired") != 2 { // the title and the heading, not the message too
		t.Error("the page says it has expired more than once")
	}
	if p = b.post(link + "/ask"); p.status != 200 {
		t.Fatalf("ask: %d %s", p.status, p.body)
	}
	p.mustContain(t, "<span>Acme</span>") // still in the organization's colours and name
	if n := s.count(`SELECT count(*) FROM outbox WHERE template = 'resend_request'`); n != 1 {
		t.Fatalf("resend requests: %d", n)
	}
	if p = b.post(link + "/ask"); p.status != 429 {
		t.Fatalf("second ask: %d", p.status)
	}
	if n := s.count(`SELECT count(*) FROM outbox WHERE template = 'resend_request'`); n != 1 {
		t.Fatal("asked twice")
	}
}

func TestUnknownAndMalformedInviteLinks(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	for _, path := range []string{"/invite/lbi_" + strings.Repeat("x", 43), "/invite/nonsense", "/invite/%27%3Cscript%3E"} {
		p := b.get(path)
		if p.status != 404 || strings.Contains(p.body, "<script>") {
			t.Fatalf("%s: %d", path, p.status)
		}
		p.mustContain(t, "doesn't work")
	}
}

// TestGuessingLinksByPostIsThrottled: a guessed link sent with a form counts as a guess too, on
// every page a link reaches, so posting is no way around the limit.
func TestGuessingLinksByPostIsThrottled(t *testing.T) {
	s := newSite(t)
	link := s.invite("real@example.com")
	b := s.browser()
	b.get("/login") // the CSRF cookie
	// Well-formed tokens of the right kind that were never issued: each reaches the database.
	guess := func(k token.Kind) string { plain, _ := token.New(k); return plain }
	for i := range 30 {
		var p page
		switch i % 3 {
		case 0:
			p = b.post("/reset/"+guess(token.Reset), "password", "a long enough password")
		case 1:
			p = b.post("/setup/"+guess(token.Setup), "org_name", "Evil", "slug", "evil", "email", "e@evil.test", "name", "E", "password", "a long enough password")
		default:
			p = b.post("/invite/"+guess(token.Invite)+"/sso/corp", "x", "y")
		}
		if p.status != 404 {
			t.Fatalf("guess %d: %d", i, p.status)
		}
	}
	if p := b.get(link); p.status != 429 {
		t.Fatalf("a real link after 30 guessed ones: %d", p.status)
	}
}

func TestGuessingLinksIsThrottled(t *testing.T) {
	s := newSite(t)
	link := s.invite("real@example.com")
	b := s.browser()
	for i := range 30 {
		if p := b.get("/invite/lbi_" + strings.Repeat("a", 51) + string(rune('a'+i%26))); p.status != 404 {
			t.Fatalf("guess %d: %d", i, p.status)
		}
	}
	for _, path := range []string{"/invite/lbi_" + strings.Repeat("b", 52), "/reset/lbr_" + strings.Repeat("c", 52), link} {
		if p := b.get(path); p.status != 429 {
			t.Fatalf("%s after 30 wrong links: %d", path, p.status)
		}
	}
	// After the hour, the real link opens again.
	s.clock.Add(61 * time.Minute)
	if p := b.get(link); p.status != 200 {
		t.Fatalf("the real link after the hour: %d", p.status)
	}
}

// A link that stopped working because the person was added another way does not blame the
// inviter for withdrawing it, and says what to try.
func TestWithdrawnInviteBlamesNobody(t *testing.T) {
	s := newSite(t)
	link := s.invite("wen@example.com")
	if _, err := s.svc.AddMember(context.Background(), s.admin, org.NewMember{Email: "wen@example.com", Name: "Wen"}); err != nil {
		t.Fatal(err)
	}
	p := s.browser().get(link)
	if p.status != 410 {
		t.Fatalf("a replaced link: %d", p.status)
	}
	p.mustContain(t, "This invitation was withdrawn", "replaced because you were added another way", "Try signing in")
	if strings.Contains(p.body, "Olga withdrew") {
		t.Fatal("the page says the inviter withdrew it")
	}
}
