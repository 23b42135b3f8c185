package web_test

import (
	"strings"
	"testing"
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
