package org_test

import (
	"fmt"
	"testing"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

func TestAcceptRequiresTheInvitedPerson(t *testing.T) {
	f := newFixture(t)
	inv := f.invite("bob@example.com")
	// Alice is signed in and tries Bob's link.
	if _, err := f.svc.Accept(f.ctx, tokenOf(t, inv.AcceptURL), f.owner.UserID); codeOf(err) != org.CodeWrongPerson {
		t.Fatalf("wrong person accepted: %v", err)
	}
	// A token from another organization's invitation only ever joins that organization.
	other, err := f.svc.CreateOrg(f.ctx, org.SystemActor("cli", "t", ""), "other", "Other")
	if err != nil {
		t.Fatal(err)
	}
	otherAdmin := org.SystemActor("cli", "t", other.ID)
	res, err := f.svc.Invite(f.ctx, otherAdmin, org.InviteRequest{Emails: []string{"bob@example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	acc, err := f.svc.AcceptNewAccount(f.ctx, tokenOf(t, res.Created[0].AcceptURL), org.SignUp{Name: "Bob"})
	if err != nil || acc.Org.ID != other.ID {
		t.Fatalf("accepted into %q: %v", acc.Org.Slug, err)
	}
	if _, err := store.GetMembershipByUser(f.ctx, f.db.R, f.org.ID, acc.User.ID); err != store.ErrNotFound {
		t.Fatalf("bob became a member of acme through other's link: %v", err)
	}
	// Acme's own link now works for Bob's existing account.
	acc2, err := f.svc.Accept(f.ctx, tokenOf(t, inv.AcceptURL), acc.User.ID)
	if err != nil || acc2.Org.ID != f.org.ID {
		t.Fatalf("accept with existing account: %v", err)
	}
	// Invitation ids of one organization are not found from another.
	if _, err := f.svc.Invitation(f.ctx, otherAdmin, inv.Invitation.ID); codeOf(err) != org.CodeNotFound {
		t.Fatalf("cross-org read: %v", err)
	}
}

func TestOwnersAreProtected(t *testing.T) {
	f := newFixture(t)
	alice, err := store.GetMembershipByUser(f.ctx, f.db.R, f.org.ID, f.owner.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.UpdateMember(f.ctx, f.owner, alice.ID, org.MemberEdit{Role: ptr("member")}); codeOf(err) != org.CodeLastOwner {
		t.Fatalf("last owner demoted: %v", err)
	}
	if _, err := f.svc.UpdateMember(f.ctx, f.owner, alice.ID, org.MemberEdit{Status: ptr("deactivated")}); codeOf(err) != org.CodeLastOwner {
		t.Fatalf("last owner deactivated: %v", err)
	}
	if _, err := f.svc.DeleteMember(f.ctx, f.owner, alice.ID); codeOf(err) != org.CodeLastOwner {
		t.Fatalf("last owner deleted: %v", err)
	}
	// An admin cannot make an owner, nor touch one.
	bob, err := f.svc.AddMember(f.ctx, f.admin, org.NewMember{Email: "bob@acme.test", Name: "Bob", Role: org.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	adminRole, _ := store.GetRoleByKey(f.ctx, f.db.R, f.org.ID, org.RoleAdmin)
	bobActor := org.Actor{Kind: "user", ID: bob.UserID, UserID: bob.UserID, OrgID: f.org.ID, Role: adminRole}
	if _, err := f.svc.Invite(f.ctx, bobActor, org.InviteRequest{Emails: []string{"c@x.test"}, Role: org.RoleOwner}); codeOf(err) != org.CodeForbidden {
		t.Fatalf("admin invited an owner: %v", err)
	}
	if _, err := f.svc.UpdateMember(f.ctx, bobActor, bob.ID, org.MemberEdit{Role: ptr(org.RoleOwner)}); codeOf(err) != org.CodeForbidden {
		t.Fatalf("admin made himself owner: %v", err)
	}
	if _, err := f.svc.UpdateMember(f.ctx, bobActor, alice.ID, org.MemberEdit{Status: ptr("deactivated")}); codeOf(err) != org.CodeForbidden {
		t.Fatalf("admin deactivated an owner: %v", err)
	}
	// A member has no console permissions at all.
	memberRole, _ := store.GetRoleByKey(f.ctx, f.db.R, f.org.ID, org.RoleMember)
	m := org.Actor{Kind: "user", OrgID: f.org.ID, Role: memberRole}
	if _, err := f.svc.ListMembers(f.ctx, m, store.MemberFilter{}); codeOf(err) != org.CodeForbidden {
		t.Fatalf("member listed members: %v", err)
	}
}

func TestDeleteMemberReassignsTheirInvitations(t *testing.T) {
	f := newFixture(t)
	bob, err := f.svc.AddMember(f.ctx, f.admin, org.NewMember{Email: "bob@acme.test", Name: "Bob", Role: org.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	adminRole, _ := store.GetRoleByKey(f.ctx, f.db.R, f.org.ID, org.RoleAdmin)
	bobActor := org.Actor{Kind: "user", ID: bob.UserID, UserID: bob.UserID, Name: "Bob", OrgID: f.org.ID, Role: adminRole}
	res, err := f.svc.Invite(f.ctx, bobActor, org.InviteRequest{Emails: []string{"x@x.test", "y@x.test"}})
	if err != nil || len(res.Created) != 2 {
		t.Fatal(err)
	}
	team, err := f.svc.CreateTeam(f.ctx, bobActor, "Bob's team")
	if err != nil {
		t.Fatal(err)
	}
	d, err := f.svc.DeleteMember(f.ctx, f.owner, bob.ID)
	if err != nil || d.Invitations != 2 || d.Teams != 1 {
		t.Fatalf("deleted %+v, %v", d, err)
	}
	if n := f.count(`SELECT count(*) FROM invitations WHERE invited_by = ?`, f.owner.UserID); n != 2 {
		t.Fatalf("alice now has %d invitations", n)
	}
	if n := f.count(`SELECT count(*) FROM teams WHERE id = ? AND owner_user_id = ?`, team.ID, f.owner.UserID); n != 1 {
		t.Fatal("team not reassigned")
	}
	if _, err := f.svc.Member(f.ctx, f.owner, bob.ID); codeOf(err) != org.CodeNotFound {
		t.Fatalf("deleted member still there: %v", err)
	}
}

func TestPeopleSearchFollowsChanges(t *testing.T) {
	f := newFixture(t)
	m, err := f.svc.AddMember(f.ctx, f.admin, org.NewMember{Email: "zed@acme.test", Name: "Zed Zimmer"})
	if err != nil {
		t.Fatal(err)
	}
	f.invite("quinn@example.com", func(r *org.InviteRequest) { r.Name = "Quinn Quark" })
	find := func(q string) []string {
		t.Helper()
		list, err := f.svc.People(f.ctx, f.owner, store.PeopleFilter{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range list {
			out = append(out, p.Email)
		}
		return out
	}
	for q, want := range map[string]string{"zimm": "zed@acme.test", "ZED@": "zed@acme.test", "quark": "quinn@example.com",
		"inn@exa": "quinn@example.com", "ze": "zed@acme.test"} {
		if got := find(q); len(got) != 1 || got[0] != want {
			t.Errorf("search %q found %v, want %s", q, got, want)
		}
	}
	// A renamed person is found by the new name only; a deleted member not at all.
	if err := f.svc.UpdateName(f.ctx, m.UserID, "Zed Yellow"); err != nil {
		t.Fatal(err)
	}
	if got := find("zimm"); len(got) != 0 {
		t.Errorf("old name still found: %v", got)
	}
	if got := find("yellow"); len(got) != 1 {
		t.Errorf("new name not found: %v", got)
	}
	if _, err := f.svc.DeleteMember(f.ctx, f.owner, m.ID); err != nil {
		t.Fatal(err)
	}
	if got := find("yellow"); len(got) != 0 {
		t.Errorf("deleted member still found: %v", got)
	}
	// A term whose every three letters occur in a name, but not together, finds nobody.
	f.invite("pat@example.com", func(r *org.InviteRequest) { r.Name = "Abcd Bcde" })
	if got := find("abcde"); len(got) != 0 {
		t.Errorf("abcde matched %v (its trigrams are in \"abcd bcde\", the term is not)", got)
	}
	if got := find("bcd bc"); len(got) != 1 {
		t.Errorf("bcd bc found %v", got)
	}
	// Wildcards are searched for as themselves.
	if got := find("%"); len(got) != 0 {
		t.Errorf("%% matched %v", got)
	}
}

func TestPeopleSearchFindsEachOfABatch(t *testing.T) {
	f := newFixture(t)
	var emails []string
	for i := range 150 {
		emails = append(emails, fmt.Sprintf("batch%03d@example.com", i))
	}
	if _, err := f.svc.Invite(f.ctx, f.owner, org.InviteRequest{Emails: emails}); err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 59, 60, 61, 149} {
		list, err := f.svc.People(f.ctx, f.owner, store.PeopleFilter{Query: fmt.Sprintf("batch%03d", i)})
		if err != nil || len(list) != 1 || list[0].Email != emails[i] {
			t.Fatalf("search batch%03d: %+v %v", i, list, err)
		}
	}
}
