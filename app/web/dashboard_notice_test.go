package web_test

import (
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// TestDashboardWelcomesOnlyToOnesOrganizations: the welcome after joining names an
// organization from the link only when the person is in it, so a crafted link cannot make
// Lobby's page say they joined something else.
func TestDashboardWelcomesOnlyToOnesOrganizations(t *testing.T) {
	s := newSite(t)
	s.member("kim@example.com", "kim's long password")
	b := s.browser()
	b.get("/login")
	b.post("/login", "email", "kim@example.com", "password", "kim's long password")
	b.get("/?joined=Acme").mustContain(t, "Welcome to Acme! You're in.")
	if p := b.get("/?joined=EvilCorp"); strings.Contains(p.body, "EvilCorp") {
		t.Fatal("the dashboard welcomed to an organization named by the link")
	}
	if p := b.get("/?already=EvilCorp"); strings.Contains(p.body, "EvilCorp") {
		t.Fatal("the dashboard named an organization from the link")
	}
}

// TestInviteFormsRefuseSomeoneSignedInAsAnother: signed in as one person, the sign-up and
// sign-in forms of another person's invitation are refused like accepting it, instead of
// swapping the session for a new account.
func TestInviteFormsRefuseSomeoneSignedInAsAnother(t *testing.T) {
	s := newSite(t)
	s.member("eve@example.com", "eve's long password")
	link := s.invite("bob@example.com")
	b := s.browser()
	b.get("/login")
	b.post("/login", "email", "eve@example.com", "password", "eve's long password")
	b.get(link)
	if p := b.post(link, "step", "signup", "name", "Bob", "password", "bob's long password"); p.status != 422 {
		t.Fatalf("sign-up while signed in as another: %d", p.status)
	}
	if n := s.count(`SELECT count(*) FROM users WHERE email_norm = 'bob@example.com'`); n != 0 {
		t.Fatal("an account was made for the invitation while someone else was signed in")
	}
	if b.cookies["lobby_session"] == "" {
		t.Fatal("the session was lost")
	}
}

// TestMessagesKeepAddressesAsStored: a message that starts with an address does not capitalise it.
func TestMessagesKeepAddressesAsStored(t *testing.T) {
	s := newSite(t)
	s.member("ann@example.com", "ann's long password")
	other, err := s.svc.CreateOrg(t.Context(), s.admin, "beta", "Beta")
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.svc.Invite(t.Context(), adminOf(s, other.ID), inviteReq("ann@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	link := strings.TrimPrefix(res.Created[0].AcceptURL, "http://lobby.test")
	b := s.browser()
	b.get(link)
	p := b.post(link, "step", "signup", "name", "Mallory", "password", "mallory's password")
	if strings.Contains(p.body, "Ann@example.com") || !strings.Contains(p.body, "ann@example.com already has an account") {
		t.Fatalf("the message: %d %s", p.status, p.body)
	}
}

// TestDashboardAfterSetupLeadsToInviting: the person who just set up an organization is not
// welcomed into it as if invited: the page says it is ready and links to its invite page.
func TestDashboardAfterSetupLeadsToInviting(t *testing.T) {
	s := newSite(t)
	if _, err := s.db.W.Exec(`DELETE FROM users`); err != nil { // setup is open only while the instance has nobody
		t.Fatal(err)
	}
	link, err := s.svc.NewSetupLink(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	path := strings.TrimPrefix(link, "http://lobby.test")
	b := s.browser()
	b.get(path)
	p := b.post(path, "org_name", "Zeta & Co", "slug", "zeta", "name", "Zoe", "email", "zoe@zeta.example", "password", "zoe's long password")
	if p.status != 303 {
		t.Fatalf("setup: %d %s", p.status, p.body)
	}
	d := b.get(p.location)
	d.mustContain(t, `<a href="/console/zeta/invite">Invite your first people</a>`)
	if got := d.text(); !strings.Contains(got, "Zeta & Co is ready. Invite your first people from the console.") || strings.Contains(got, "Welcome to") {
		t.Errorf("after setup: %s", got)
	}
	// The link names an organization by its slug, and says nothing to someone who cannot invite there.
	s.member("kim@example.com", "kim's long password")
	k := s.browser()
	k.get("/login")
	k.post("/login", "email", "kim@example.com", "password", "kim's long password")
	if got := k.get("/?ready=acme").text(); strings.Contains(got, "is ready") {
		t.Errorf("a member was told Acme is ready: %s", got)
	}
}

// TestDashboardTellsAdminsHowToShare: an admin whose organization shares nothing yet is told
// where to add links, not to wait for their admins; members, and admins once links exist, see
// the usual words.
func TestDashboardTellsAdminsHowToShare(t *testing.T) {
	s := newSite(t)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	m := s.signedIn("mo@acme.test", org.RoleMember)
	const admins, members = "Nothing is shared with members yet. Add links for them under Resources in the console.",
		"Nothing has been shared with you here yet. Links your admins give you will show up here."
	d := a.get("/")
	d.mustContain(t, `<a href="/console/acme/resources">Resources</a>`)
	if got := d.text(); !strings.Contains(got, admins) || strings.Contains(got, members) {
		t.Errorf("an admin's page: %s", got)
	}
	if got := m.get("/").text(); !strings.Contains(got, members) || strings.Contains(got, admins) {
		t.Errorf("a member's page: %s", got)
	}
	// A link for a team Ada is not in: something is shared, just not with her.
	if _, err := s.svc.CreateTeam(t.Context(), s.owner, "Sales"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.CreateResource(t.Context(), s.owner, "Wiki", "https://wiki.example", "", []string{"Sales"}); err != nil {
		t.Fatal(err)
	}
	if got := a.get("/").text(); !strings.Contains(got, members) || strings.Contains(got, admins) {
		t.Errorf("with a link shared, the admin's page: %s", got)
	}
}
