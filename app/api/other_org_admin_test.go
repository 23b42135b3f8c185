package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/token"
)

// adminIDPaths are the id routes of the console-parity screens (teams by id, resources,
// tokens, mail). TestEveryIDRouteHidesOtherOrganizations leaves them to the test below,
// which knows their ids; a route added later still fails there until a test knows its ids.
var adminIDPaths = map[string]bool{
	"/api/v1/teams/{id}":                           true,
	"/api/v1/members/{id}/resources/{resource_id}": true,
	"/api/v1/resources/{id}":                       true,
	"/api/v1/resources/{id}/teams":                 true,
	"/api/v1/tokens/{id}":                          true,
	"/api/v1/mail/{id}":                            true,
	"/api/v1/mail/{id}/retry":                      true,
}

// Every one of those routes answers 404 to a token of another organization, for that
// organization's teams, resources, tokens and emails, mixed with this organization's own ids
// too, and changes nothing there.
func TestEveryAdminIDRouteHidesOtherOrganizations(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	other, err := e.svc.CreateOrg(ctx, org.SystemActor("cli", "t", ""), "other", "Other")
	if err != nil {
		t.Fatal(err)
	}
	them, us := org.SystemActor("cli", "t", other.ID), org.SystemActor("cli", "t", e.orgID)
	team, err := e.svc.CreateTeam(ctx, them, "Theirs")
	if err != nil {
		t.Fatal(err)
	}
	member, err := e.svc.AddMember(ctx, them, org.NewMember{Email: "oli@other.test"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.svc.CreateResource(ctx, them, "Wiki", "https://wiki.other.test", "", []string{team.ID})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := e.svc.CreateToken(ctx, them, "api", "theirs")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Invite(ctx, them, org.InviteRequest{Emails: []string{"pat@other.test"}, Notify: true}); err != nil {
		t.Fatal(err)
	}
	mails, err := e.svc.Outbox(ctx, them, "", store.Page{Limit: 10})
	if err != nil || len(mails) != 1 {
		t.Fatalf("their outbox: %v %v", mails, err)
	}
	mail := mails[0]
	if err := e.db.MarkMailFailed(ctx, mail.ID, "550 no such user", []byte(token.Redact(string(mail.Data))), e.now.UnixMilli()); err != nil {
		t.Fatal(err)
	}
	ownMember, err := e.svc.AddMember(ctx, us, org.NewMember{Email: "our@acme.test"})
	if err != nil {
		t.Fatal(err)
	}
	ownRes, err := e.svc.CreateResource(ctx, us, "Ours", "https://ours.test", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	before := e.count(`SELECT count(*) FROM audit_log WHERE org_id = ?`, other.ID)

	_, doc := e.call("GET", "/api/v1/openapi.json", "")
	paths, _ := doc["paths"].(map[string]any)
	fills := map[string][][2]string{ // {id} (or {name}), {resource_id}
		"/api/v1/teams/{id}": {{team.ID, ""}},
		// Theirs with theirs, ours with theirs, theirs with ours.
		"/api/v1/members/{id}/resources/{resource_id}": {{member.ID, res.ID}, {ownMember.ID, res.ID}, {member.ID, ownRes.ID}},
		"/api/v1/resources/{id}":                       {{res.ID, ""}},
		"/api/v1/resources/{id}/teams":                 {{res.ID, ""}},
		"/api/v1/tokens/{id}":                          {{tok.Token.ID, ""}},
		"/api/v1/mail/{id}":                            {{mail.ID, ""}},
		"/api/v1/mail/{id}/retry":                      {{mail.ID, ""}},
	}
	bodies := map[string]string{"patch": `{"name":"Renamed"}`, "put /api/v1/resources/{id}/teams": `{"teams":[]}`}
	tried := 0
	for path := range adminIDPaths {
		item, ok := paths[path].(map[string]any)
		if !ok {
			t.Fatalf("%s is not in the OpenAPI document", path)
		}
		for method := range item {
			body := bodies[method]
			if b, ok := bodies[method+" "+path]; ok {
				body = b
			}
			for _, f := range fills[path] {
				p := strings.NewReplacer("{id}", f[0], "{resource_id}", f[1]).Replace(path)
				m, want, code := strings.ToUpper(method), 404, "not_found"
				tried++
				if s, b := e.call(m, p, body); s != want || errCode(b) != code {
					t.Errorf("%s %s (%s): %d %v; want %d %s", m, p, path, s, b, want, code)
				}
			}
		}
	}
	// Their team named in our resource's teams is unknown here, not linked.
	if s, b := e.call("PUT", "/api/v1/resources/"+ownRes.ID+"/teams", `{"teams":["`+team.ID+`"]}`); s != 422 || errCode(b) != "unknown_team" {
		t.Errorf("our resource with their team: %d %v", s, b)
	}
	if tried < 14 {
		t.Fatalf("only %d requests tried", tried)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE org_id = ?`, other.ID); n != before {
		t.Fatalf("the other organization's audit log grew from %d to %d", before, n)
	}
	if e.count(`SELECT count(*) FROM teams WHERE id = ? AND name = 'Theirs'`, team.ID) != 1 ||
		e.count(`SELECT count(*) FROM team_resources WHERE team_id = ? AND resource_id = ?`, team.ID, res.ID) != 1 ||
		e.count(`SELECT count(*) FROM team_resources WHERE resource_id = ?`, ownRes.ID) != 0 ||
		e.count(`SELECT count(*) FROM membership_resources`) != 0 ||
		e.count(`SELECT count(*) FROM api_tokens WHERE id = ? AND revoked_at IS NULL`, tok.Token.ID) != 1 ||
		e.count(`SELECT count(*) FROM outbox WHERE id = ? AND status = 'failed'`, mail.ID) != 1 {
		t.Fatal("a request with another organization's ids changed something")
	}
}
