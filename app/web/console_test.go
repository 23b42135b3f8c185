package web_test

import (
	"context"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lobby/lobby/app/org"
)

// signedIn makes a person with a role in Acme and a browser signed in as them.
func (s *site) signedIn(email, role string) *browser {
	s.t.Helper()
	h, err := s.svc.HashPassword(context.Background(), "a long password!")
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.svc.AddMember(context.Background(), s.admin, org.NewMember{Email: email, Name: strings.Split(email, "@")[0],
		PasswordHash: h, Role: role}); err != nil {
		s.t.Fatal(err)
	}
	b := s.browser()
	b.get("/login")
	if p := b.post("/login", "email", email, "password", "a long password!"); p.status != 303 {
		s.t.Fatalf("sign in %s: %d", email, p.status)
	}
	return b
}

func TestConsoleIsForAdminsOnly(t *testing.T) {
	s := newSite(t)
	m := s.signedIn("mo@acme.test", org.RoleMember)
	p := m.get("/console/acme")
	if p.status != 403 {
		t.Fatalf("member opened the console: %d", p.status)
	}
	p.mustContain(t, "This page is for admins", `href="/"`)
	for _, path := range []string{"/console/acme/settings", "/console/acme/members/x", "/console/acme/audit"} {
		if p := m.get(path); p.status != 403 {
			t.Errorf("member GET %s: %d", path, p.status)
		}
	}
	if p := m.post("/console/acme/teams", "name", "Sneaky"); p.status != 403 {
		t.Fatalf("member POST: %d", p.status)
	}
	if s.count(`SELECT count(*) FROM teams`) != 0 {
		t.Fatal("a member created a team")
	}
	if p := s.browser().get("/console/acme"); p.status != 303 || !strings.HasPrefix(p.location, "/login?next=") {
		t.Fatalf("signed out: %d %q", p.status, p.location)
	}
	// /console alone leads a member to their page, and an admin of one organization to its console.
	if p := m.get("/console"); p.status != 303 || p.location != "/" {
		t.Fatalf("member at /console: %d %q", p.status, p.location)
	}
	// Every screen opens for an admin.
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	if p := a.get("/console"); p.status != 303 || p.location != "/console/acme" {
		t.Fatalf("admin at /console: %d %q", p.status, p.location)
	}
	for path, want := range map[string]string{
		"/console/acme": "People", "/console/acme/invite": "Email addresses", "/console/acme/teams": "No teams yet",
		"/console/acme/roles": "Owner", "/console/acme/settings": "Seat limit", "/console/acme/audit": "Download CSV",
		"/console/acme/mail": "No mail",
	} {
		p := a.get(path)
		if p.status != 200 {
			t.Fatalf("admin GET %s: %d", path, p.status)
		}
		p.mustContain(t, want, "Seats:")
	}
}

func TestConsolePasteInvitePreviewThenSend(t *testing.T) {
	s := newSite(t)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	paste := "ann@example.com, Bob Jones <bob@example.com>; not-an-address\nada@acme.test\n\"Last, First\" <first@example.com>"
	a.get("/console/acme/invite")
	p := a.post("/console/acme/invite", "emails", paste, "role", "member", "step", "preview")
	if p.status != 200 {
		t.Fatalf("preview: %d", p.status)
	}
	p.mustContain(t, "Preview — nothing has been sent yet", "Invite 3 people", "already a member", "not-an-address", "Bob Jones", "Last, First")
	if n := s.count(`SELECT count(*) FROM invitations`); n != 0 {
		t.Fatalf("the preview created %d invitations", n)
	}
	if n := s.count(`SELECT count(*) FROM outbox`); n != 0 {
		t.Fatalf("the preview queued %d emails", n)
	}
	p = a.post("/console/acme/invite", "emails", paste, "role", "member", "step", "send")
	if p.status != 200 {
		t.Fatalf("send: %d", p.status)
	}
	p.mustContain(t, "3 invited", "Copy link")
	if n := s.count(`SELECT count(*) FROM invitations WHERE status = 'pending'`); n != 3 {
		t.Fatalf("%d invitations", n)
	}
	if n := s.count(`SELECT count(*) FROM invitations WHERE name = 'Bob Jones'`); n != 1 {
		t.Fatal("the name from 'Name <email>' was lost")
	}
	// The People list shows them as pending, and a search finds one.
	a.get("/console/acme?q=bob").mustContain(t, "Bob Jones", "Pending")
}

func TestConsoleInvitationAndMemberActions(t *testing.T) {
	s := newSite(t)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	s.invite("ivy@example.com")
	var invID string
	if err := s.db.R.QueryRow(`SELECT id FROM invitations`).Scan(&invID); err != nil {
		t.Fatal(err)
	}
	a.get("/console/acme/invitations/"+invID).mustContain(t, "Invitation for ivy@example.com", "Resend email", "invitation.created")
	// "Make a new link": a link shown to copy, without an email; the old link dies.
	p := a.post("/console/acme/invitations/"+invID+"/resend", "notify", "no")
	p.mustContain(t, "The new link", "/invite/lbi_", "Copy link")
	p = a.post("/console/acme/invitations/" + invID + "/revoke")
	if p.status != 303 || !strings.Contains(p.location, "notice=Revoked") {
		t.Fatalf("revoke: %d %q", p.status, p.location)
	}
	// Bulk deactivate, then reactivate, a member.
	s.member("mel@example.com", "mel's long password")
	var memID string
	if err := s.db.R.QueryRow(`SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email_norm = 'mel@example.com'`).Scan(&memID); err != nil {
		t.Fatal(err)
	}
	p = a.post("/console/acme/people/bulk", "action", "deactivate", "sel", "member:"+memID, "confirmed", "1")
	if p.status != 303 || !strings.Contains(p.location, "Deactivated+1+member.") {
		t.Fatalf("bulk deactivate: %q", p.location)
	}
	a.get("/console/acme/members/"+memID).mustContain(t, "Deactivated", "Reactivate")
	if p := a.post("/console/acme/members/" + memID + "/reactivate"); p.status != 303 {
		t.Fatalf("reactivate: %d", p.status)
	}
	// "View as" shows their page and is audited. The header stays Ada's own: her name and
	// profile, never Mel's as if Ada were signed in as her.
	v := a.get("/console/acme/members/" + memID + "/view")
	v.mustContain(t, "<title>mel's page (view only)", "<h1>Hello, mel</h1>", "You are viewing mel's page as they see it",
		`<a href="/console/acme/members/`+memID+`">Back to mel in the console</a>`, `<a href="/profile">ada</a>`, "Acme")
	if strings.Contains(v.body, `<a href="/profile">mel</a>`) {
		t.Error("View as shows Mel as the one signed in")
	}
	if n := s.count(`SELECT count(*) FROM audit_log WHERE action = 'member.viewed_as' AND target_id = ?`, memID); n != 1 {
		t.Fatalf("view-as audit rows: %d", n)
	}
	// Delete needs the address typed exactly.
	a.post("/console/acme/members/"+memID+"/delete", "confirm", "mel")
	if n := s.count(`SELECT count(*) FROM memberships WHERE id = ?`, memID); n != 1 {
		t.Fatal("deleted without the typed confirmation")
	}
	a.post("/console/acme/members/"+memID+"/delete", "confirm", "mel@example.com")
	if n := s.count(`SELECT count(*) FROM memberships WHERE id = ?`, memID); n != 0 {
		t.Fatal("not deleted with the right confirmation")
	}
	// An admin cannot touch the owner.
	var olga string
	_ = s.db.R.QueryRow(`SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email_norm = 'olga@acme.test'`).Scan(&olga)
	p = a.post("/console/acme/members/" + olga + "/deactivate")
	if !strings.Contains(p.location, "Only+an+owner+can+change+an+owner") {
		t.Fatalf("admin deactivating the owner: %q", p.location)
	}
}

func TestConsoleTeamsSettingsAndTokens(t *testing.T) {
	s := newSite(t)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	a.get("/console/acme/teams")
	a.post("/console/acme/teams", "name", "Sales")
	a.get("/console/acme/teams").mustContain(t, "Sales", "Rename")
	// A team managed by SCIM is read-only here.
	if _, err := s.db.W.Exec(`UPDATE teams SET source = 'scim' WHERE name = 'Sales'`); err != nil {
		t.Fatal(err)
	}
	a.get("/console/acme/teams").mustContain(t, "Your identity provider", "Read-only here")
	var team string
	_ = s.db.R.QueryRow(`SELECT id FROM teams`).Scan(&team)
	if p := a.post("/console/acme/teams/"+team+"/rename", "name", "X"); !strings.Contains(p.location, "managed+by+your+identity+provider") {
		t.Fatalf("rename scim team: %q", p.location)
	}
	// Settings: seat limit and lifetime; an invalid value changes nothing.
	p := a.post("/console/acme/settings", "name", "Acme Ltd", "seat_limit", "25", "invite_ttl", "72h", "remind_before", "24h", "default_role", "member")
	if !strings.Contains(p.location, "Settings+saved") {
		t.Fatalf("save: %q", p.location)
	}
	a.get("/console/acme/settings").mustContain(t, `value="Acme Ltd"`, `value="25"`, `<option value="72h" selected>`)
	p = a.post("/console/acme/settings", "name", "Broken", "seat_limit", "-3", "default_role", "member")
	if strings.Contains(p.location, "saved") {
		t.Fatalf("negative seats saved: %q", p.location)
	}
	a.get("/console/acme/settings").mustContain(t, `value="Acme Ltd"`)
	// A token is shown once, then only its name.
	p = a.post("/console/acme/tokens", "name", "HR", "kind", "api")
	p.mustContain(t, "shown only once", "lba_")
	if strings.Contains(a.get("/console/acme/settings").body, "lba_") {
		t.Fatal("the token was shown a second time")
	}
	a.get("/console/acme/settings").mustContain(t, "HR", "works until <time datetime=\"2027-06-01T08:00:00Z\">1 Jun 2027, 08:00 UTC</time>")
	// A token for 30 days; the list says when it is close to the end, then that it has ended.
	a.post("/console/acme/tokens", "name", "Short", "kind", "scim", "expires_in", "30d")
	if p := a.post("/console/acme/tokens", "name", "Forever", "kind", "api", "expires_in", "50y"); !strings.Contains(p.location, "3+years") {
		t.Fatalf("a lifetime over the maximum: %q", p.location)
	}
	a.get("/console/acme/settings").mustContain(t, ">1 Jul 2026, 08:00 UTC<")
	if body := a.get("/console/acme/settings").body; strings.Contains(body, "Expires soon") {
		t.Fatal("a token with 30 days to go shows as expiring soon")
	}
	setExpiry := func(at time.Time) {
		if _, err := s.db.W.Exec(`UPDATE api_tokens SET expires_at = ? WHERE name = 'Short'`, at.UnixMilli()); err != nil {
			t.Fatal(err)
		}
	}
	setExpiry(s.clock.Now().Add(10 * 24 * time.Hour))
	if body := a.get("/console/acme/settings").body; !strings.Contains(body, "Expires soon") || strings.Contains(body, ">Expired<") {
		t.Fatalf("10 days before the end:\n%s", body)
	}
	setExpiry(s.clock.Now().Add(-time.Hour))
	a.get("/console/acme/settings").mustContain(t, ">Expired<", "expired <time datetime=\"2026-06-01T07:00:00Z\">1 Jun 2026, 07:00 UTC</time>")
}

func TestConsoleAuditCSVIsSafe(t *testing.T) {
	s := newSite(t)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	a.post("/console/acme/teams", "name", "=HYPERLINK(\"http://evil\")")
	p := a.get("/console/acme/audit?format=csv")
	if p.status != 200 || !strings.Contains(p.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s", p.status, p.header.Get("Content-Type"))
	}
	if !strings.Contains(p.body, "team.created") || strings.Contains(p.body, ",=HYPERLINK") {
		t.Fatalf("csv body:\n%s", p.body)
	}
}

func TestConsoleResourcesReachTheDashboard(t *testing.T) {
	s := newSite(t)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	a.get("/console/acme/resources").mustContain(t, "No resources yet")
	a.post("/console/acme/teams", "name", "Learners")
	var team string
	_ = s.db.R.QueryRow(`SELECT id FROM teams`).Scan(&team)
	if p := a.post("/console/acme/resources", "name", "Course", "url", "javascript:alert(1)"); !strings.Contains(p.location, "full+web+address") {
		t.Fatalf("a javascript: link was accepted: %q", p.location)
	}
	a.post("/console/acme/resources", "name", "Course", "url", "https://learn.example/course", "description", "Start here", "teams", team)
	a.post("/console/acme/resources", "name", "Handbook", "url", "https://docs.example/handbook")
	a.get("/console/acme/resources").mustContain(t, "Course", "Handbook", "Start here")
	// A member of the team gets the course; the handbook is given to them directly.
	m := s.signedIn("lu@example.com", org.RoleMember)
	var mem, handbook string
	_ = s.db.R.QueryRow(`SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email_norm = 'lu@example.com'`).Scan(&mem)
	_ = s.db.R.QueryRow(`SELECT id FROM resources WHERE name = 'Handbook'`).Scan(&handbook)
	if err := s.svc.SetTeamMember(context.Background(), s.admin, team, mem, true); err != nil {
		t.Fatal(err)
	}
	if p := a.post("/console/acme/members/"+mem+"/resources", "resource", handbook); !strings.Contains(p.location, "Saved") {
		t.Fatalf("give: %q", p.location)
	}
	a.get("/console/acme/members/"+mem).mustContain(t, "Course", "through a team", "Handbook", "given directly")
	m.get("/").mustContain(t, "https://learn.example/course", "Start here", "https://docs.example/handbook")
	// Taking it back removes it from their page.
	a.post("/console/acme/members/"+mem+"/resources", "resource", handbook, "do", "remove")
	if strings.Contains(m.get("/").body, "docs.example/handbook") {
		t.Fatal("the handbook is still on their page")
	}
}

func TestConsolePeopleOrderAndPaging(t *testing.T) {
	s := newSite(t)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	var emails []string
	for i := range 60 {
		emails = append(emails, "p"+string(rune('a'+i/26))+string(rune('a'+i%26))+"@example.com")
	}
	if _, err := s.svc.Invite(context.Background(), s.admin, org.InviteRequest{Emails: emails[:30]}); err != nil {
		t.Fatal(err)
	}
	s.clock.Add(time.Minute)
	if _, err := s.svc.Invite(context.Background(), s.admin, org.InviteRequest{Emails: emails[30:]}); err != nil {
		t.Fatal(err)
	}
	first := a.get("/console/acme")
	first.mustContain(t, "Next page")
	if strings.Contains(first.body, "olga@acme.test") {
		t.Fatal("the oldest person is on the first page of newest first")
	}
	old := a.get("/console/acme?sort=oldest")
	old.mustContain(t, "olga@acme.test", `<option value="oldest" selected>`)
	// Walking the pages newest first shows everyone once: 60 invitations and 2 members.
	seen := map[string]bool{}
	next := "/console/acme"
	for pages := 0; next != "" && pages < 5; pages++ {
		p := a.get(next)
		for _, m := range regexp.MustCompile(`[a-z.]+@[a-z.]+\.(?:com|test)`).FindAllString(p.body, -1) {
			seen[m] = true
		}
		next = ""
		if m := regexp.MustCompile(`href="(/console/acme\?[^"]*cursor=[^"]+)"`).FindStringSubmatch(p.body); m != nil {
			next = html.UnescapeString(m[1])
		}
	}
	if len(seen) != 62 {
		t.Fatalf("paging saw %d people, want 62", len(seen))
	}
}

func TestConsoleInviteGivesResources(t *testing.T) {
	s := newSite(t)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	a.post("/console/acme/resources", "name", "Handbook", "url", "https://docs.example/handbook")
	var res string
	_ = s.db.R.QueryRow(`SELECT id FROM resources`).Scan(&res)
	a.get("/console/acme/invite").mustContain(t, "Resources (optional", "Handbook")
	a.post("/console/acme/invite", "emails", "rin@example.com", "role", "member", "resources", res, "step", "send")
	if n := s.count(`SELECT count(*) FROM invitation_resources WHERE resource_id = ?`, res); n != 1 {
		t.Fatalf("invitation resources: %d", n)
	}
}
