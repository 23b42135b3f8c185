package org_test

import (
	"testing"

	"github.com/lobby/lobby/app/org"
)

// TestInvitationWithoutARoleGetsTheDefaultRole: an invitation that names no role gives the
// organization's default role, as the settings have it when the invitation is made, and the
// person who accepts it gets that role. A role named in the invitation still wins.
func TestInvitationWithoutARoleGetsTheDefaultRole(t *testing.T) {
	f := newFixture(t)
	setDefault := func(key string) {
		t.Helper()
		o, err := f.svc.UpdateSettings(f.ctx, f.owner, org.SettingsPatch{DefaultRole: &key})
		if err != nil {
			t.Fatalf("default role %s: %v", key, err)
		}
		if o.DefaultRole != key {
			t.Fatalf("settings answer default role %q, want %q", o.DefaultRole, key)
		}
	}
	// roleOf reads the invitation back as the console shows it.
	roleOf := func(inv org.Invited) string {
		t.Helper()
		v, err := f.svc.Invitation(f.ctx, f.owner, inv.Invitation.ID)
		if err != nil {
			t.Fatal(err)
		}
		return v.RoleKey
	}

	setDefault(org.RoleAdmin)
	admin := f.invite("ann@example.com")
	if got := roleOf(admin); got != org.RoleAdmin {
		t.Fatalf("invitation without a role while the default is admin: role %q", got)
	}
	if got := roleOf(f.invite("mel@example.com", func(r *org.InviteRequest) { r.Role = org.RoleMember })); got != org.RoleMember {
		t.Fatalf("invitation naming member while the default is admin: role %q", got)
	}
	acc, err := f.svc.AcceptNewAccount(f.ctx, tokenOf(t, admin.AcceptURL), org.SignUp{Name: "Ann"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := f.svc.Member(f.ctx, f.owner, acc.Membership.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.RoleKey != org.RoleAdmin {
		t.Fatalf("Ann accepted an admin invitation and is %q", m.RoleKey)
	}

	setDefault(org.RoleMember)
	if got := roleOf(f.invite("max@example.com")); got != org.RoleMember {
		t.Fatalf("invitation without a role after the default went back to member: role %q", got)
	}
	// Invitations made earlier keep the role they were made with.
	if got := roleOf(admin); got != org.RoleAdmin {
		t.Fatalf("Ann's invitation changed role to %q with the default", got)
	}
}
