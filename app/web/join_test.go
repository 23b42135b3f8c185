package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// openJoin switches the join page on for example.com and returns its path.
func (s *site) openJoin(mod ...func(*org.SettingsPatch)) string {
	s.t.Helper()
	on, domains, slug := true, []string{"example.com"}, "acme-join"
	p := org.SettingsPatch{JoinEnabled: &on, JoinAllowedDomains: &domains, JoinSlug: &slug}
	for _, m := range mod {
		m(&p)
	}
	if _, err := s.svc.UpdateSettings(context.Background(), s.admin, p); err != nil {
		s.t.Fatal(err)
	}
	return "/join/acme-join"
}

// joinLink returns the newest join confirmation link mailed to an address.
func (s *site) joinLink(to string) string {
	s.t.Helper()
	var data string
	if err := s.db.R.QueryRow(`SELECT data FROM outbox WHERE template = 'join_confirm' AND to_addr = ? ORDER BY id DESC LIMIT 1`, to).Scan(&data); err != nil {
		s.t.Fatalf("no join email to %s: %v", to, err)
	}
	i := strings.Index(data, "http://lobby.test/join/confirm/")
	j := strings.Index(data[i:], `"`)
	return strings.TrimPrefix(data[i:i+j], "http://lobby.test")
}

func TestJoinPageOffOrUnknown(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	for _, path := range []string{"/join/acme-join", "/join/nothing-here"} {
		p := b.get(path)
		if p.status != 404 {
			t.Fatalf("%s: %d", path, p.status)
		}
		p.mustContain(t, "This join link is not active")
	}
}

func TestJoinWhitelistRefusesHostileAddresses(t *testing.T) {
	s := newSite(t)
	path := s.openJoin()
	b := s.browser()
	b.get(path).mustContain(t, "Join Acme", "Your email")
	for _, tc := range []struct {
		email  string
		status int
	}{
		{"mallory@evil-example.com", 403}, {"mallory@example.com.evil.com", 403}, {"mallory@sub.example.com", 403},
		{"Bob <bob@example.com>", 422}, {`"bob"@example.com`, 422}, {"a@example.com,b@example.com", 422},
		{"a@example.com b@example.com", 422}, {"bob@example.com.", 422}, {"bo\x00b@example.com", 422},
		{strings.Repeat("a", 300) + "@example.com", 422},
	} {
		p := b.post(path, "email", tc.email)
		if p.status != tc.status {
			t.Errorf("%q: %d, want %d", tc.email, p.status, tc.status)
		}
		if tc.status == 403 {
			p.mustContain(t, "cannot join Acme; ask an admin for an invitation")
			if strings.Contains(p.body, "example.com</") {
				t.Errorf("%q: the page reveals the allowed domain", tc.email)
			}
		}
	}
	if n := s.count(`SELECT count(*) FROM outbox`); n != 0 {
		t.Fatalf("refused addresses got %d emails", n)
	}
	b.post(path, "email", "a b@example.com").mustContain(t, "That email address doesn't look right: it contains a space.")
	// Mixed case is the same address, and allowed.
	p := b.post(path, "email", "Ann@EXAMPLE.com")
	if p.status != 200 {
		t.Fatalf("allowed address: %d", p.status)
	}
	p.mustContain(t, "Check your inbox", "ann@example.com")
	if n := s.count(`SELECT count(*) FROM outbox WHERE template = 'join_confirm' AND to_addr = 'ann@example.com'`); n != 1 {
		t.Fatalf("confirmation emails: %d", n)
	}
	if n := s.count(`SELECT count(*) FROM users WHERE email_norm = 'ann@example.com'`); n != 0 {
		t.Fatal("something was created before the person confirmed")
	}
	// Subdomains only when ticked, and only on a dot boundary.
	s.openJoin(func(p *org.SettingsPatch) { on := true; p.JoinAllowSubdomains = &on })
	if p := b.post(path, "email", "carl@team.example.com"); p.status != 200 {
		t.Fatalf("subdomain with subdomains on: %d", p.status)
	}
	if p := b.post(path, "email", "carl@teamexample.com"); p.status != 403 {
		t.Fatalf("look-alike with subdomains on: %d", p.status)
	}
}

func TestJoinDoubleOptInToDashboard(t *testing.T) {
	s := newSite(t)
	if _, err := s.svc.CreateTeam(context.Background(), s.admin, "Learners"); err != nil {
		t.Fatal(err)
	}
	path := s.openJoin(func(p *org.SettingsPatch) { p.JoinTeams = &[]string{"Learners"} })
	b := s.browser()
	b.get(path)
	b.post(path, "email", "jo@example.com")
	link := s.joinLink("jo@example.com")
	p := b.get(link)
	if p.status != 200 || p.header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("confirm page: %d", p.status)
	}
	p.mustContain(t, "joining as", "jo@example.com", "Choose a password")
	p = b.post(link, "step", "signup", "name", "Jo", "password", "jo's long password")
	if p.status != 303 {
		t.Fatalf("confirm: %d %s", p.status, p.body)
	}
	b.get(p.location).mustContain(t, "Welcome to Acme", "Member", "Learners")
	if n := s.count(`SELECT count(*) FROM memberships WHERE source = 'join'`); n != 1 {
		t.Fatalf("join memberships: %d", n)
	}
	// The link works once; a member asking again gets a "you're already in" email.
	if p := s.browser().get(link); p.status != 410 {
		t.Fatalf("reused link: %d", p.status)
	}
	b2 := s.browser()
	b2.get(path)
	b2.post(path, "email", "jo@example.com")
	if n := s.count(`SELECT count(*) FROM outbox WHERE template = 'join_member' AND to_addr = 'jo@example.com'`); n != 1 {
		t.Fatalf("already-member emails: %d", n)
	}
}

func TestJoinRulesHoldAtConfirmation(t *testing.T) {
	s := newSite(t)
	path := s.openJoin()
	request := func(email string) string {
		b := s.browser()
		b.get(path)
		if p := b.post(path, "email", email); p.status != 200 {
			t.Fatalf("request %s: %d", email, p.status)
		}
		return s.joinLink(email)
	}
	confirm := func(link string) page {
		b := s.browser()
		b.get(link)
		return b.post(link, "step", "signup", "name", "X", "password", "a long password!")
	}
	// The link is regenerated while the email is in flight: the old confirmation dies too.
	l1 := request("r1@example.com")
	if _, err := s.svc.UpdateSettings(context.Background(), s.admin, org.SettingsPatch{JoinRegenerate: true}); err != nil {
		t.Fatal(err)
	}
	if p := s.browser().get(l1); p.status != 410 || !strings.Contains(p.body, "no longer active") {
		t.Fatalf("after regenerate: %d", p.status)
	}
	slug := "acme-join"
	on := true
	s.svc.UpdateSettings(context.Background(), s.admin, org.SettingsPatch{JoinSlug: &slug})
	// The page is switched off between request and confirmation.
	l2 := request("r2@example.com")
	off := false
	s.svc.UpdateSettings(context.Background(), s.admin, org.SettingsPatch{JoinEnabled: &off})
	if p := confirm(l2); p.status != 410 {
		t.Fatalf("confirm with the page off: %d", p.status)
	}
	s.svc.UpdateSettings(context.Background(), s.admin, org.SettingsPatch{JoinEnabled: &on})
	// The seat limit fills up between request and confirmation.
	l3 := request("r3@example.com")
	used, _, _ := s.svc.Seats(context.Background(), s.org.ID)
	s.svc.UpdateSettings(context.Background(), s.admin, org.SettingsPatch{SeatLimitSet: true, SeatLimit: &used})
	if p := confirm(l3); p.status != 422 || !strings.Contains(p.body, "Acme has no room for new members right now; if you were invited, use the link in your invitation email") {
		t.Fatalf("confirm over the seat limit: %d", p.status)
	}
	if n := s.count(`SELECT count(*) FROM users WHERE email_norm = 'r3@example.com'`); n != 0 {
		t.Fatal("a refused confirmation left an account behind")
	}
	// While it is full, asking to join says so at once, before anyone chooses a password.
	b := s.browser()
	b.get(path)
	if p := b.post(path, "email", "r6@example.com"); p.status != 409 || !strings.Contains(p.body, "no room for new members") {
		t.Fatalf("asking while full: %d", p.status)
	}
	if n := s.count(`SELECT count(*) FROM outbox WHERE to_addr = 'r6@example.com'`); n != 0 {
		t.Fatal("a confirmation went out while the organization was full")
	}
	s.svc.UpdateSettings(context.Background(), s.admin, org.SettingsPatch{SeatLimitSet: true})
	// The join limit: one person through the link, then no more.
	one := int64(1)
	s.svc.UpdateSettings(context.Background(), s.admin, org.SettingsPatch{JoinLimitSet: true, JoinLimit: &one})
	l4, l5 := request("r4@example.com"), request("r5@example.com")
	if p := confirm(l4); p.status != 303 {
		t.Fatalf("first through the limit: %d %s", p.status, p.body)
	}
	if p := confirm(l5); p.status != 422 || !strings.Contains(p.body, "as many people") {
		t.Fatalf("over the join limit: %d", p.status)
	}
	b = s.browser()
	b.get(path)
	if p := b.post(path, "email", "r7@example.com"); p.status != 409 || !strings.Contains(p.body, "as many people") {
		t.Fatalf("asking over the join limit: %d", p.status)
	}
	if n := s.count(`SELECT count(*) FROM memberships WHERE source = 'join'`); n != 1 {
		t.Fatalf("%d joined", n)
	}
}

func TestJoinApprovalHoneypotAndThrottle(t *testing.T) {
	s := newSite(t)
	path := s.openJoin(func(p *org.SettingsPatch) { on := true; p.JoinApproval = &on })
	b := s.browser()
	b.get(path)
	// A bot filling the honeypot sees the same answer and nothing is sent.
	if p := b.post(path, "email", "bot@example.com", "website", "http://spam"); p.status != 200 || !strings.Contains(p.body, "Check your inbox") {
		t.Fatalf("honeypot: %d", p.status)
	}
	if n := s.count(`SELECT count(*) FROM outbox WHERE to_addr = 'bot@example.com'`); n != 0 {
		t.Fatal("the honeypot sent mail")
	}
	b.post(path, "email", "ap@example.com")
	link := s.joinLink("ap@example.com")
	c := s.browser()
	c.get(link)
	p := c.post(link, "step", "signup", "name", "Ap", "password", "a long password!")
	p.mustContain(t, "Your request to join Acme was sent")
	if n := s.count(`SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email_norm = 'ap@example.com'`); n != 0 {
		t.Fatal("joined without approval")
	}
	var reqID string
	if err := s.db.R.QueryRow(`SELECT id FROM invitations WHERE status = 'requested'`).Scan(&reqID); err != nil {
		t.Fatal(err)
	}
	admin := s.signedIn("ada@acme.test", org.RoleAdmin)
	admin.get("/console/acme?status=requested").mustContain(t, "ap@example.com", "Asked to join")
	if p := admin.post("/console/acme/invitations/" + reqID + "/approve"); p.status != 303 {
		t.Fatalf("approve: %d", p.status)
	}
	if n := s.count(`SELECT count(*) FROM memberships WHERE source = 'join'`); n != 1 {
		t.Fatal("approval did not make a member")
	}
	if n := s.count(`SELECT count(*) FROM outbox WHERE template = 'join_decided' AND to_addr = 'ap@example.com'`); n != 1 {
		t.Fatal("the person was not told")
	}
	// Per address: three requests an hour, then a wait.
	d := s.browser()
	d.get(path)
	for range 3 {
		d.post(path, "email", "many@example.com")
	}
	if p := d.post(path, "email", "many@example.com"); p.status != 429 {
		t.Fatalf("fourth request: %d", p.status)
	}
}

func TestConsoleJoinSettings(t *testing.T) {
	s := newSite(t)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	a.get("/console/acme/settings")
	p := a.post("/console/acme/join", "join_enabled", "on", "join_allowed_domains", "example.com\nExample.org",
		"join_role", "member", "join_limit", "50", "join_welcome", "Hello learners")
	if !strings.Contains(p.location, "Join+page+saved") {
		t.Fatalf("save: %q", p.location)
	}
	page := a.get("/console/acme/settings")
	page.mustContain(t, "http://lobby.test/join/", "<svg", "example.org", `value="50"`, "Hello learners")
	o, _ := s.svc.Org(context.Background(), s.org.ID)
	old := o.JoinSlug
	if len(old) != 16 {
		t.Fatalf("default slug %q", old)
	}
	s.browser().get("/join/"+old).mustContain(t, "Hello learners")
	// A new link: the old one stops working at once.
	p = a.post("/console/acme/join", "join_enabled", "on", "join_allowed_domains", "example.com", "join_role", "member", "regenerate", "1")
	if !strings.Contains(p.location, "old+link+no+longer+works") {
		t.Fatalf("regenerate: %q", p.location)
	}
	if p := s.browser().get("/join/" + old); p.status != 404 {
		t.Fatalf("old link after regenerate: %d", p.status)
	}
	// An admin role is never what joiners get; a bad domain is named.
	if p := a.post("/console/acme/join", "join_enabled", "on", "join_role", "admin"); p.status != 422 {
		t.Fatalf("admin join role: %d %q", p.status, p.location)
	} else {
		p.mustContain(t, "cannot get the Admin role")
	}
	p = a.post("/console/acme/join", "join_enabled", "on", "join_role", "member", "join_allowed_domains", "not a domain!")
	if p.status != 422 {
		t.Fatalf("bad domain: %d %q", p.status, p.location)
	}
	p.mustContain(t, `Email domains that may join: the domain "not" (number 1) is not valid`)
}
