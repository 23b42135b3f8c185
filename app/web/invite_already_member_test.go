package web_test

import (
	"testing"

	"github.com/lobby/lobby/app/org"
)

// TestInviteAcceptedBySomeoneAlreadyMember: a person who is already an active member and still
// holds a pending invitation accepts it. They land on their dashboard told they were already a
// member, and they still have exactly one membership, with its role unchanged.
func TestInviteAcceptedBySomeoneAlreadyMember(t *testing.T) {
	s := newSite(t)
	ctx := t.Context()
	res, err := s.svc.Invite(ctx, s.owner, org.InviteRequest{Emails: []string{"pat@example.com"}, Role: org.RoleAdmin, Notify: true})
	if err != nil || len(res.Created) != 1 {
		t.Fatalf("invite: %v %+v", err, res.Errors)
	}
	link := res.Created[0].AcceptURL[len("http://lobby.test"):]
	// Adding Pat directly retires the invitation; the invitation is put back as it was, as
	// though Pat had become a member while it was still out (the invitation service refuses to
	// invite a member, so this is the only way to hold both).
	s.member("pat@example.com", "pat's long password")
	if _, err := s.db.W.Exec(`UPDATE invitations SET status = 'pending', revoked_at = NULL WHERE email_norm = 'pat@example.com'`); err != nil {
		t.Fatal(err)
	}
	b := s.browser()
	b.get("/login")
	if p := b.post("/login", "email", "pat@example.com", "password", "pat's long password"); p.status != 303 {
		t.Fatalf("sign in: %d", p.status)
	}
	b.get(link)
	p := b.post(link, "step", "accept")
	if p.status != 303 || p.location != "/?already=Acme" {
		t.Fatalf("accept: %d %q %s", p.status, p.location, p.body)
	}
	b.get(p.location).mustContain(t, "You were already a member of Acme, so nothing changed.")
	if n := s.count(`SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email_norm = 'pat@example.com'`); n != 1 {
		t.Fatalf("Pat has %d memberships", n)
	}
	var role string
	if err := s.db.R.QueryRow(`SELECT r.key FROM memberships m JOIN roles r ON r.id = m.role_id JOIN users u ON u.id = m.user_id
		WHERE u.email_norm = 'pat@example.com'`).Scan(&role); err != nil {
		t.Fatal(err)
	}
	if role != org.RoleMember {
		t.Fatalf("accepting changed Pat's role to %q", role)
	}
	if n := s.count(`SELECT count(*) FROM invitations WHERE email_norm = 'pat@example.com' AND status = 'accepted'`); n != 1 {
		t.Fatal("the invitation was not used up")
	}
}
