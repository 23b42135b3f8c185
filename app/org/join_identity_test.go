package org_test

import (
	"testing"

	"github.com/lobby/lobby/app/org"
)

// A work login linked to an account joins through the join page only when the account's own
// address is on the whitelist, not merely the address the provider reports today; a login
// whose account is on it joins.
func TestJoinWithIdentityHoldsTheWhitelistForTheAccount(t *testing.T) {
	f := newFixture(t)
	on, slug, domains := true, "acme-join", []string{"allowed.test"}
	if _, err := f.svc.UpdateSettings(f.ctx, f.admin, org.SettingsPatch{JoinEnabled: &on, JoinSlug: &slug, JoinAllowedDomains: &domains}); err != nil {
		t.Fatal(err)
	}
	// Uma's account (uma@elsewhere.test) was linked to her work login, whose provider now
	// reports an allowed address.
	other, err := f.svc.CreateOrg(f.ctx, org.SystemActor("cli", "t", ""), "other", "Other")
	if err != nil {
		t.Fatal(err)
	}
	uma, err := f.svc.AddMember(f.ctx, org.SystemActor("cli", "t", other.ID), org.NewMember{Email: "uma@elsewhere.test", Name: "Uma", Role: org.RoleMember})
	if err != nil {
		t.Fatal(err)
	}
	id := org.Identity{Issuer: "https://idp.test", Subject: "uma-1", Email: "uma@elsewhere.test", ProviderID: "work", Provider: "Work"}
	if err := f.svc.LinkIdentity(f.ctx, uma.UserID, id); err != nil {
		t.Fatal(err)
	}
	id.Email = "uma@allowed.test"
	_, err = f.svc.JoinWithIdentity(f.ctx, slug, id, "")
	if codeOf(err) != org.CodeJoinNotAllowed {
		t.Fatalf("a linked login whose account's address is not allowed: %v", err)
	}
	if n := f.count(`SELECT count(*) FROM memberships WHERE org_id = ? AND user_id = ?`, f.org.ID, uma.UserID); n != 0 {
		t.Fatal("Uma's account joined through the whitelist with an address it does not have")
	}
	ned := org.Identity{Issuer: "https://idp.test", Subject: "ned-1", Email: "ned@allowed.test", ProviderID: "work", Provider: "Work"}
	if j, err := f.svc.JoinWithIdentity(f.ctx, slug, ned, ""); err != nil || j.User.EmailNorm != "ned@allowed.test" {
		t.Fatalf("a new login with an allowed address: %+v %v", j.User, err)
	}
}
