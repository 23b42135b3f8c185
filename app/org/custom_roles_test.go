package org_test

import (
	"testing"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// A custom role cannot raise itself or anyone above what it can do, by any path: not its own
// role, not another person's, not an invitation, not a token (which acts as an admin), not a
// new role; nor change someone whose role can do more. Custom roles all share one rank, so
// only their permissions tell them apart.
func TestCustomRolesCannotGrantMoreThanTheyHave(t *testing.T) {
	f := newFixture(t)
	roles := map[string][]string{
		"hrs":       {"members:manage"},
		"ops":       {"members:manage", "tokens:manage", "settings:manage", "roles:manage"},
		"issuer":    {"tokens:manage"},
		"recruiter": {"invitations:manage"},
		"designer":  {"roles:manage"},
	}
	actors := map[string]org.Actor{}
	members := map[string]org.MemberView{}
	for key, perms := range roles {
		if _, err := f.svc.CreateRole(f.ctx, f.owner, key, key, perms); err != nil {
			t.Fatal(err)
		}
		m, err := f.svc.AddMember(f.ctx, f.admin, org.NewMember{Email: key + "@acme.test", Name: key, Role: key})
		if err != nil {
			t.Fatal(err)
		}
		role, err := store.GetRoleByKey(f.ctx, f.db.R, f.org.ID, key)
		if err != nil {
			t.Fatal(err)
		}
		members[key] = m
		actors[key] = org.Actor{Kind: "user", ID: m.UserID, UserID: m.UserID, Name: key, Email: key + "@acme.test", OrgID: f.org.ID, Role: role}
	}
	mia, err := f.svc.AddMember(f.ctx, f.admin, org.NewMember{Email: "mia@acme.test", Name: "Mia", Role: org.RoleMember})
	if err != nil {
		t.Fatal(err)
	}
	role := func(id string) string {
		t.Helper()
		var key string
		if err := f.db.R.QueryRowContext(f.ctx, `SELECT r.key FROM memberships m JOIN roles r ON r.id = m.role_id WHERE m.id = ?`, id).Scan(&key); err != nil {
			t.Fatal(err)
		}
		return key
	}
	forbidden := func(what string, err error) {
		t.Helper()
		if codeOf(err) != org.CodeForbidden {
			t.Errorf("%s: %v; want forbidden", what, err)
		}
	}
	hr := actors["hrs"]
	ops := "ops"
	_, err = f.svc.UpdateMember(f.ctx, hr, members["hrs"].ID, org.MemberEdit{Role: &ops})
	forbidden("hr raising its own role to ops", err)
	_, err = f.svc.UpdateMember(f.ctx, hr, mia.ID, org.MemberEdit{Role: &ops})
	forbidden("hr making Mia ops", err)
	if role(members["hrs"].ID) != "hrs" || role(mia.ID) != org.RoleMember {
		t.Fatal("a refused role change changed a role")
	}
	deactivated := "deactivated"
	_, err = f.svc.UpdateMember(f.ctx, hr, members["ops"].ID, org.MemberEdit{Status: &deactivated})
	forbidden("hr deactivating someone with ops", err)
	_, err = f.svc.DeleteMember(f.ctx, hr, members["ops"].ID)
	forbidden("hr deleting someone with ops", err)
	if f.count(`SELECT count(*) FROM memberships WHERE id = ? AND status = 'active'`, members["ops"].ID) != 1 {
		t.Fatal("a refused change to the ops member changed it")
	}
	// What hr can do, it still may: hand out its own role and change people no stronger.
	same := "hrs"
	if _, err := f.svc.UpdateMember(f.ctx, hr, mia.ID, org.MemberEdit{Role: &same}); err != nil || role(mia.ID) != "hrs" {
		t.Fatalf("hr giving Mia its own role: %v", err)
	}

	res, err := f.svc.Invite(f.ctx, actors["recruiter"], org.InviteRequest{Emails: []string{"new@acme.test"}, Role: ops})
	if err == nil && len(res.Created) > 0 {
		t.Fatal("recruiter invited someone as ops")
	}
	if f.count(`SELECT count(*) FROM invitations WHERE email_norm = 'new@acme.test'`) != 0 {
		t.Fatal("a refused invitation was stored")
	}

	// Nor renew, edit or revoke an invitation that grants a role it may not.
	opsInv := f.invite("oz@acme.test", func(r *org.InviteRequest) { r.Role = "ops" })
	rec := actors["recruiter"]
	_, err = f.svc.Resend(f.ctx, rec, opsInv.Invitation.ID, false)
	forbidden("recruiter renewing an ops invitation", err)
	member := org.RoleMember
	_, err = f.svc.EditInvitation(f.ctx, rec, opsInv.Invitation.ID, org.InvitationEdit{Role: &member})
	forbidden("recruiter editing an ops invitation", err)
	_, err = f.svc.Revoke(f.ctx, rec, opsInv.Invitation.ID)
	forbidden("recruiter revoking an ops invitation", err)
	if f.count(`SELECT count(*) FROM invitations WHERE id = ? AND status = 'pending' AND token_hash = ?`, opsInv.Invitation.ID, opsInv.Invitation.TokenHash) != 1 {
		t.Fatal("a refused change to the ops invitation changed it")
	}
	// Nor send an import's invitations for such a role (sending renews each link).
	p := f.preview("email,role\r\nimp@acme.test,ops\r\n", org.ImportOptions{})
	if _, err := f.svc.CommitImport(f.ctx, f.owner, p.Import.ID, org.CommitOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.SendImport(f.ctx, rec, p.Import.ID)
	forbidden("recruiter sending an import of ops invitations", err)
	if f.count(`SELECT count(*) FROM invitations WHERE email_norm = 'imp@acme.test' AND send_count = 0`) != 1 {
		t.Fatal("a refused send renewed or sent the ops invitation")
	}
	memberInv := f.invite("mo@acme.test")
	if _, err := f.svc.Resend(f.ctx, rec, memberInv.Invitation.ID, false); err != nil {
		t.Fatalf("recruiter renewing a member's invitation: %v", err)
	}

	for _, kind := range []string{"api", "scim"} {
		_, err := f.svc.CreateToken(f.ctx, actors["issuer"], kind, "mine")
		forbidden("issuer making an "+kind+" token, which acts as an admin", err)
	}
	if f.count(`SELECT count(*) FROM api_tokens`) != 0 {
		t.Fatal("a refused token was stored")
	}
	if _, err := f.svc.CreateToken(f.ctx, f.owner, "api", "owner's"); err != nil {
		t.Fatalf("an owner making a token: %v", err)
	}

	_, err = f.svc.CreateRole(f.ctx, actors["designer"], "everything", "Everything", []string{"roles:manage", "tokens:manage"})
	forbidden("designer making a role with more than its own", err)
	if _, err := f.svc.CreateRole(f.ctx, actors["designer"], "designer-2", "Designer 2", []string{"roles:manage"}); err != nil {
		t.Fatalf("designer making a role like its own: %v", err)
	}
}
