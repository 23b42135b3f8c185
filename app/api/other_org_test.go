package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// Every API route that takes an id answers 404 to a token of another organization, for each
// of that organization's invitations, members, teams and imports, mixed with this
// organization's own ids too, and changes nothing there. The routes come from the OpenAPI
// document, so a route added later is covered without touching this test.
func TestEveryIDRouteHidesOtherOrganizations(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	other, err := e.svc.CreateOrg(ctx, org.SystemActor("cli", "t", ""), "other", "Other")
	if err != nil {
		t.Fatal(err)
	}
	them := org.SystemActor("cli", "t", other.ID)
	inv, err := e.svc.Invite(ctx, them, org.InviteRequest{Emails: []string{"pat@other.test"}})
	if err != nil || len(inv.Created) != 1 {
		t.Fatal(err)
	}
	member, err := e.svc.AddMember(ctx, them, org.NewMember{Email: "oli@other.test", Name: "Oli"})
	if err != nil {
		t.Fatal(err)
	}
	team, err := e.svc.CreateTeam(ctx, them, "Theirs")
	if err != nil {
		t.Fatal(err)
	}
	imp, err := e.svc.PreviewImport(ctx, them, strings.NewReader("email\r\nnew@other.test\r\n"), org.ImportOptions{Filename: "x.csv"})
	if err != nil {
		t.Fatal(err)
	}
	us := org.SystemActor("cli", "t", e.orgID)
	ownTeam, err := e.svc.CreateTeam(ctx, us, "Ours")
	if err != nil {
		t.Fatal(err)
	}
	ownMember, err := e.svc.AddMember(ctx, us, org.NewMember{Email: "our@acme.test", Name: "Our"})
	if err != nil {
		t.Fatal(err)
	}
	before := e.count(`SELECT count(*) FROM audit_log WHERE org_id = ?`, other.ID)

	status, doc := e.call("GET", "/api/v1/openapi.json", "")
	paths, _ := doc["paths"].(map[string]any)
	if status != 200 || len(paths) == 0 {
		t.Fatalf("openapi: %d", status)
	}
	var tried []string
	for path, item := range paths {
		if !strings.Contains(path, "{") || adminIDPaths[path] { // those: other_org_admin_test.go
			continue
		}
		var fills [][2]string // {id}, {member_id}
		switch {
		case strings.HasPrefix(path, "/api/v1/invitations/"):
			fills = [][2]string{{inv.Created[0].Invitation.ID, ""}}
		case strings.HasPrefix(path, "/api/v1/members/"):
			fills = [][2]string{{member.ID, ""}}
		case strings.HasPrefix(path, "/api/v1/imports/"):
			fills = [][2]string{{imp.Import.ID, ""}}
		case strings.HasPrefix(path, "/api/v1/teams/"):
			// Theirs with theirs, ours with theirs, theirs with ours.
			fills = [][2]string{{team.ID, member.ID}, {ownTeam.ID, member.ID}, {team.ID, ownMember.ID}}
		default:
			t.Fatalf("the test does not know the ids of %s", path)
		}
		for method := range item.(map[string]any) {
			for _, f := range fills {
				p := strings.NewReplacer("{id}", f[0], "{member_id}", f[1]).Replace(path)
				body := ""
				if method == "patch" || (method == "post" && strings.HasSuffix(path, "/resend")) || strings.HasSuffix(path, "/commit") {
					body = `{}`
					if method == "patch" {
						body = `{"role":"member"}`
					}
				}
				m := strings.ToUpper(method)
				tried = append(tried, m+" "+p)
				if s, b := e.call(m, p, body); s != 404 {
					t.Errorf("%s %s (%s): %d %v; want 404", m, p, path, s, b)
				}
			}
		}
	}
	if len(tried) < 20 {
		t.Fatalf("only %d requests tried: %v", len(tried), tried)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE org_id = ?`, other.ID); n != before {
		t.Fatalf("the other organization's audit log grew from %d to %d", before, n)
	}
	if e.count(`SELECT count(*) FROM invitations WHERE org_id = ? AND status = 'pending'`, other.ID) != 1 ||
		e.count(`SELECT count(*) FROM memberships WHERE id = ? AND status = 'active'`, member.ID) != 1 ||
		e.count(`SELECT count(*) FROM team_members WHERE team_id IN (?, ?)`, team.ID, ownTeam.ID) != 0 {
		t.Fatal("a request with another organization's ids changed something")
	}
}

func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.R.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}
