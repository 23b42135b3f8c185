package org_test

import (
	"slices"
	"testing"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// TestDeactivatedMemberCannotActInTheOrganization: Bob is an admin of Acme and a member of
// Globex. Once Acme deactivates him he cannot enter Acme (the console resolves his actor with
// ActorFor on every request, and it refuses), and his dashboard shows only Globex. Acme's
// decision does not touch his place in Globex. Reactivated, he can act in Acme again.
func TestDeactivatedMemberCannotActInTheOrganization(t *testing.T) {
	f := newFixture(t)
	bobAcme, err := f.svc.AddMember(f.ctx, f.admin, org.NewMember{Email: "bob@example.com", Name: "Bob", Role: org.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	globex, err := f.svc.CreateOrg(f.ctx, org.SystemActor("cli", "test", ""), "globex", "Globex")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AddMember(f.ctx, org.SystemActor("cli", "test", globex.ID), org.NewMember{Email: "bob@example.com", Name: "Bob"}); err != nil {
		t.Fatal(err)
	}
	bob, err := store.GetUser(f.ctx, f.db.R, bobAcme.UserID)
	if err != nil {
		t.Fatal(err)
	}
	dashboard := func() []string {
		t.Helper()
		orgs, err := f.svc.Dashboard(f.ctx, bob.ID)
		if err != nil {
			t.Fatal(err)
		}
		var slugs []string
		for _, d := range orgs {
			slugs = append(slugs, d.Org.Slug)
		}
		slices.Sort(slugs)
		return slugs
	}
	// canAct resolves Bob's actor in Acme and, when that works, has him read the member list,
	// which his admin role allows.
	canAct := func() error {
		t.Helper()
		a, err := f.svc.ActorFor(f.ctx, bob, f.org.ID, "session-ref")
		if err != nil {
			return err
		}
		if a.Role.Key != org.RoleAdmin || a.UserID != bob.ID || a.OrgID != f.org.ID {
			t.Fatalf("Bob's actor in Acme: role %q, user %q, org %q", a.Role.Key, a.UserID, a.OrgID)
		}
		_, err = f.svc.ListMembers(f.ctx, a, store.MemberFilter{})
		return err
	}

	if err := canAct(); err != nil {
		t.Fatalf("active admin acting in Acme: %v", err)
	}
	if got := dashboard(); !slices.Equal(got, []string{"acme", "globex"}) {
		t.Fatalf("dashboard while active: %v", got)
	}

	if _, err := f.svc.UpdateMember(f.ctx, f.owner, bobAcme.ID, org.MemberEdit{Status: ptr("deactivated")}); err != nil {
		t.Fatal(err)
	}
	if err := canAct(); codeOf(err) != org.CodeForbidden {
		t.Fatalf("deactivated member acting in Acme: %v; want %s", err, org.CodeForbidden)
	}
	if got := dashboard(); !slices.Equal(got, []string{"globex"}) {
		t.Fatalf("dashboard while deactivated in Acme: %v; want only globex", got)
	}
	if _, err := f.svc.ActorFor(f.ctx, bob, globex.ID, "session-ref"); err != nil {
		t.Fatalf("Bob acting in Globex after Acme deactivated him: %v", err)
	}

	if _, err := f.svc.UpdateMember(f.ctx, f.owner, bobAcme.ID, org.MemberEdit{Status: ptr("active")}); err != nil {
		t.Fatal(err)
	}
	if err := canAct(); err != nil {
		t.Fatalf("reactivated member acting in Acme: %v", err)
	}
	if got := dashboard(); !slices.Equal(got, []string{"acme", "globex"}) {
		t.Fatalf("dashboard after reactivation: %v", got)
	}
}
