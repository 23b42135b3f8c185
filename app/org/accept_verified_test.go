package org_test

import (
	"testing"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// Holding an account with the invited address is not enough: the address must be verified,
// or anyone could register an unverified account for someone else's address, wait for the
// invitation and take the seat. The refused accept changes nothing; once verified, it works.
func TestAcceptNeedsAVerifiedAddress(t *testing.T) {
	f := newFixture(t)
	inv := f.invite("vera@acme.test")
	plain := tokenOf(t, inv.AcceptURL)
	u := store.User{ID: store.NewID(), Email: "vera@acme.test", EmailNorm: "vera@acme.test", Name: "Not Vera",
		CreatedAt: f.clock.Now().UnixMilli()}
	if err := f.db.Tx(f.ctx, func(q store.Q) error { return store.CreateUser(f.ctx, q, u) }); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.Accept(f.ctx, plain, u.ID)
	if codeOf(err) != org.CodeWrongPerson {
		t.Fatalf("accept with an unverified address = %v; want %s", err, org.CodeWrongPerson)
	}
	if n := f.count(`SELECT count(*) FROM memberships WHERE org_id = ? AND user_id = ?`, f.org.ID, u.ID); n != 0 {
		t.Fatal("the unverified account became a member")
	}
	if n := f.count(`SELECT count(*) FROM invitations WHERE id = ? AND status = 'pending' AND accepted_user_id IS NULL`, inv.Invitation.ID); n != 1 {
		t.Fatal("the refused accept used up the invitation")
	}
	// The control: the same account, once its address is verified, accepts the same link.
	if err := f.db.Tx(f.ctx, func(q store.Q) error { return store.MarkEmailVerified(f.ctx, q, u.ID, f.clock.Now().UnixMilli()) }); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Accept(f.ctx, plain, u.ID); err != nil {
		t.Fatalf("accept once verified: %v", err)
	}
}
