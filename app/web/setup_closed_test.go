package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// The setup link printed at the first start stops working as soon as Lobby has an account
// made another way (lobby admin create): opening it says Lobby is set up, and posting the form
// makes no organization and no owner.
func TestSetupLinkClosesOnceSomeoneIsSetUp(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	if _, err := s.db.W.ExecContext(ctx, `DELETE FROM users`); err != nil {
		t.Fatal(err)
	}
	link, err := s.svc.NewSetupLink(ctx)
	if err != nil || link == "" {
		t.Fatalf("setup link %q: %v", link, err)
	}
	path := strings.TrimPrefix(link, "http://lobby.test")
	// What lobby admin create does, after the link was printed.
	o, err := s.svc.CreateOrg(ctx, org.SystemActor("cli", "admin create", ""), "first", "First")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.AddMember(ctx, org.SystemActor("cli", "admin create", o.ID),
		org.NewMember{Email: "owner@first.example", Name: "Olga", Role: org.RoleOwner}); err != nil {
		t.Fatal(err)
	}
	count := func(q string) int {
		t.Helper()
		var n int
		if err := s.db.R.QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	orgs, users := count(`SELECT count(*) FROM organizations`), count(`SELECT count(*) FROM users`)

	b := s.browser()
	p := b.get(path)
	if p.status != 410 {
		t.Fatalf("setup link after an owner was made: %d, want 410", p.status)
	}
	p.mustContain(t, "Lobby is already set up; sign in instead.", `href="/login"`)
	p = b.post(path, "org_name", "Mallory Inc", "slug", "mallory", "name", "Mallory", "email", "m@mallory.example",
		"password", "mallory's long password")
	if p.status == 303 {
		t.Fatalf("the setup form still made an organization after an owner was made: %d", p.status)
	}
	if n, m := count(`SELECT count(*) FROM organizations`), count(`SELECT count(*) FROM users`); n != orgs || m != users {
		t.Fatalf("after the refused setup: %d organizations and %d accounts, want %d and %d", n, m, orgs, users)
	}
}
