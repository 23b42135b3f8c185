package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// An owner of one organization reaches nothing of another through the console: every console
// route that takes an id, tried with the other organization's invitation, member, import,
// team, resource, token and email under this organization's address, shows or changes
// nothing of it. The routes come from the router, so a route added later is covered.
func TestConsoleRoutesHideOtherOrganizations(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	zeta, err := s.svc.CreateOrg(ctx, org.SystemActor("cli", "t", ""), "zeta", "Zeta")
	if err != nil {
		t.Fatal(err)
	}
	them := org.SystemActor("cli", "t", zeta.ID)
	inv, err := s.svc.Invite(ctx, them, org.InviteRequest{Emails: []string{"secret-invitee@zeta.test"}, Notify: true})
	if err != nil || len(inv.Created) != 1 {
		t.Fatal(err)
	}
	member, err := s.svc.AddMember(ctx, them, org.NewMember{Email: "secret-member@zeta.test", Name: "Secret Member"})
	if err != nil {
		t.Fatal(err)
	}
	team, err := s.svc.CreateTeam(ctx, them, "Secret Team")
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.svc.CreateResource(ctx, them, "Secret Wiki", "https://wiki.zeta.test", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.svc.CreateToken(ctx, them, "api", "Secret Token")
	if err != nil {
		t.Fatal(err)
	}
	imp, err := s.svc.PreviewImport(ctx, them, strings.NewReader("email\r\nsecret-row@zeta.test\r\n"), org.ImportOptions{Filename: "secret.csv"})
	if err != nil {
		t.Fatal(err)
	}
	var mailID string
	if err := s.db.R.QueryRowContext(ctx, `SELECT id FROM outbox WHERE org_id = ?`, zeta.ID).Scan(&mailID); err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{"invitations": inv.Created[0].Invitation.ID, "members": member.ID, "teams": team.ID,
		"resources": res.ID, "tokens": tok.Token.ID, "imports": imp.Import.ID, "mail": mailID}
	actions := map[string][]string{"invitations": {"resend", "revoke", "approve", "decline", "edit"},
		"members": {"update", "deactivate", "reactivate", "delete"}, "imports": {"commit", "send", "cancel"},
		"resources": {"teams", "delete"}, "teams": {"rename", "delete"}}
	secrets := []string{"secret-invitee", "secret-member", "Secret Member", "Secret Team", "Secret Wiki", "Secret Token", "secret-row", "secret.csv"}
	state := func() string {
		var audit, pending, active, teams, resources, tokens, queued int
		_ = s.db.R.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM audit_log WHERE org_id = ?1),
 (SELECT count(*) FROM invitations WHERE org_id = ?1 AND status = 'pending'), (SELECT count(*) FROM memberships WHERE org_id = ?1 AND status = 'active'),
 (SELECT count(*) FROM teams WHERE org_id = ?1 AND name = 'Secret Team'), (SELECT count(*) FROM resources WHERE org_id = ?1),
 (SELECT count(*) FROM api_tokens WHERE org_id = ?1 AND revoked_at IS NULL), (SELECT count(*) FROM outbox WHERE org_id = ?1 AND status = 'queued')`,
			zeta.ID).Scan(&audit, &pending, &active, &teams, &resources, &tokens, &queued)
		return fmt.Sprint(audit, pending, active, teams, resources, tokens, queued)
	}
	before := state()

	b := s.signedIn("ada@acme.test", org.RoleOwner)
	tried := 0
	for _, r := range s.app.GetRoutes(true) {
		p, ok := strings.CutPrefix(r.Path, "/console/:slug/")
		if !ok || !strings.Contains(p, ":id") || r.Method == "HEAD" {
			continue
		}
		kind, _, _ := strings.Cut(p, "/")
		id, known := ids[kind]
		if !known {
			t.Fatalf("the test has no id of another organization for %s", r.Path)
		}
		acts := []string{""}
		if strings.Contains(p, ":action") {
			acts = actions[kind]
		}
		for _, act := range acts {
			path := "/console/acme/" + strings.NewReplacer(":id", id, ":action", act).Replace(p)
			var pg page
			if r.Method == "GET" {
				pg = b.get(path)
			} else {
				pg = b.post(path, "role", "member", "name", "Renamed", "teams", "")
			}
			tried++
			if pg.status == 200 && r.Method == "POST" || pg.status >= 500 {
				t.Errorf("%s %s: %d", r.Method, path, pg.status)
			}
			for _, secret := range secrets {
				if strings.Contains(pg.body, secret) || strings.Contains(pg.location, secret) {
					t.Errorf("%s %s shows %q of another organization", r.Method, path, secret)
				}
			}
			if pg.status == 200 {
				t.Errorf("%s %s answered 200 with another organization's id:\n%.300s", r.Method, path, pg.body)
			}
		}
	}
	if tried < 20 {
		t.Fatalf("only %d requests tried", tried)
	}
	if after := state(); after != before {
		t.Fatalf("the other organization changed: %s → %s", before, after)
	}
}
