package org_test

import (
	"testing"

	"github.com/lobby/lobby/app/store"
)

// The audit log names whoever accepted: by their address when their account has no name
// (made by SSO or SCIM without one), never a blank "who".
func TestAcceptIsAuditedWithAName(t *testing.T) {
	f := newFixture(t)
	inv := f.invite("nameless@acme.test")
	now := f.clock.Now().UnixMilli()
	u := store.User{ID: store.NewID(), Email: "nameless@acme.test", EmailNorm: "nameless@acme.test", CreatedAt: now}
	if err := f.db.Tx(f.ctx, func(q store.Q) error {
		if err := store.CreateUser(f.ctx, q, u); err != nil {
			return err
		}
		return store.MarkEmailVerified(f.ctx, q, u.ID, now)
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Accept(f.ctx, tokenOf(t, inv.AcceptURL), u.ID); err != nil {
		t.Fatal(err)
	}
	if n := f.count(`SELECT count(*) FROM audit_log WHERE action = 'invitation.accepted' AND actor_name = 'nameless@acme.test'`); n != 1 {
		t.Fatalf("%d accept entries name the person by their address", n)
	}
}
