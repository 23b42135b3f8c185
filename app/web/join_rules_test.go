package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// TestJoinLinkAfterTheWhitelistChanged: a confirmation link asked for while the address was
// allowed does not let it in once the address is off the whitelist.
func TestJoinLinkAfterTheWhitelistChanged(t *testing.T) {
	s := newSite(t)
	path := s.openJoin()
	b := s.browser()
	b.get(path)
	b.post(path, "email", "bob@example.com")
	link := s.joinLink("bob@example.com")
	other := []string{"other.net"}
	if _, err := s.svc.UpdateSettings(context.Background(), s.admin, org.SettingsPatch{JoinAllowedDomains: &other}); err != nil {
		t.Fatal(err)
	}
	b.get(link).mustContain(t, "can no longer join Acme")
	if p := b.post(link, "name", "Bob", "password", "bob's long password"); p.status == 303 {
		t.Fatal("an address off the whitelist joined with an old link")
	}
	if n := s.count(`SELECT count(*) FROM memberships WHERE source = 'join'`); n != 0 {
		t.Fatalf("%d joined", n)
	}
}

// TestJoinApprovalsKeepTheJoinLimit: with approval on, requests wait; approving them stops at
// the join limit, with a way forward for the admin.
func TestJoinApprovalsKeepTheJoinLimit(t *testing.T) {
	s := newSite(t)
	one := int64(1)
	path := s.openJoin(func(p *org.SettingsPatch) {
		on := true
		p.JoinApproval, p.JoinLimitSet, p.JoinLimit = &on, true, &one
	})
	for _, email := range []string{"p1@example.com", "p2@example.com"} {
		b := s.browser()
		b.get(path)
		b.post(path, "email", email)
		link := s.joinLink(email)
		b.get(link)
		b.post(link, "name", "P", "password", "a long password!").mustContain(t, "Your request to join Acme was sent")
	}
	var ids []string
	rows, err := s.db.R.Query(`SELECT id FROM invitations WHERE status = 'requested' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	if len(ids) != 2 {
		t.Fatalf("%d requests", len(ids))
	}
	if err := s.svc.DecideJoinRequest(context.Background(), s.admin, ids[0], true); err != nil {
		t.Fatal(err)
	}
	err = s.svc.DecideJoinRequest(context.Background(), s.admin, ids[1], true)
	if e, ok := org.AsError(err); !ok || e.Code != org.CodeJoinLimit || !strings.Contains(e.Message, "raise the limit") {
		t.Fatalf("approving past the join limit: %v", err)
	}
	if n := s.count(`SELECT count(*) FROM memberships WHERE source = 'join'`); n != 1 {
		t.Fatalf("%d joined past a limit of 1", n)
	}
}

// TestJoiningTakesTheSeatOfOnesInvitation: someone invited who joins through the link instead
// uses their invitation's seat: the invitation is revoked, no second seat is taken, and an
// organization that filled up meanwhile does not refuse them.
func TestJoiningTakesTheSeatOfOnesInvitation(t *testing.T) {
	s := newSite(t)
	path := s.openJoin()
	s.invite("inv@example.com")
	used, _, err := s.svc.Seats(context.Background(), s.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	limit := used + 1
	if _, err := s.svc.UpdateSettings(context.Background(), s.admin, org.SettingsPatch{SeatLimitSet: true, SeatLimit: &limit}); err != nil {
		t.Fatal(err)
	}
	b := s.browser()
	b.get(path)
	b.post(path, "email", "inv@example.com")
	link := s.joinLink("inv@example.com")
	s.invite("last-seat@example.com") // now full
	used = limit
	b.get(link)
	if p := b.post(link, "name", "Ines", "password", "a long password!"); p.status != 303 {
		t.Fatalf("joining with one's own seat: %d %s", p.status, p.body)
	}
	if n := s.count(`SELECT count(*) FROM invitations WHERE email_norm = 'inv@example.com' AND status = 'pending'`); n != 0 {
		t.Fatal("the invitation is still pending, holding a second seat")
	}
	if now, _, _ := s.svc.Seats(context.Background(), s.org.ID); now != used {
		t.Fatalf("seats used %d, was %d", now, used)
	}
}

// TestConsoleJoinEndDateStays: the last day the link works reads back as saved, and saving the
// form again does not move it.
func TestConsoleJoinEndDateStays(t *testing.T) {
	s := newSite(t)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	a.get("/console/acme/settings")
	for range 2 {
		a.post("/console/acme/join", "join_enabled", "on", "join_slug", "acme-join", "join_allowed_domains", "example.com",
			"join_role", "member", "join_ends_at", "2026-12-31")
		a.get("/console/acme/settings").mustContain(t, `value="2026-12-31"`)
	}
}
