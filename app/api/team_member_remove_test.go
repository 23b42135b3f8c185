package api_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/auth/token"
)

// Removing a member from a team through the API takes the team off the member and the member
// out of the team's list, leaves their other team alone, and writes one audit entry that
// names the token that did it.
func TestAPIRemoveTeamMemberShowsInMemberAndAudit(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := org.SystemActor("cli", "t", e.orgID)
	ann, err := e.svc.AddMember(ctx, admin, org.NewMember{Email: "ann@x.test", Name: "Ann"})
	if err != nil {
		t.Fatal(err)
	}
	bob, err := e.svc.AddMember(ctx, admin, org.NewMember{Email: "bob@x.test", Name: "Bob"})
	if err != nil {
		t.Fatal(err)
	}
	teamIDs := map[string]string{}
	for _, name := range []string{"Ops", "Sales"} {
		s, b := e.call("POST", "/api/v1/teams", `{"name":"`+name+`"}`)
		if s != 201 {
			t.Fatalf("create team %s: %d %v", name, s, b)
		}
		teamIDs[name] = b["id"].(string)
	}
	ops, sales := teamIDs["Ops"], teamIDs["Sales"]
	for _, put := range [][2]string{{ops, ann.ID}, {sales, ann.ID}, {ops, bob.ID}} {
		if s, b := e.call("PUT", "/api/v1/teams/"+put[0]+"/members/"+put[1], ""); s != 204 {
			t.Fatalf("add to team: %d %v", s, b)
		}
	}

	s, b := e.call("DELETE", "/api/v1/teams/"+ops+"/members/"+ann.ID, "")
	if s != 204 || b != nil {
		t.Fatalf("remove from team: %d %v; want 204 with no body", s, b)
	}

	// The member no longer shows the team, and keeps the other one.
	if s, b := e.call("GET", "/api/v1/members/"+ann.ID, ""); s != 200 || fmt.Sprint(b["teams"]) != "[Sales]" {
		t.Fatalf("member after removal: %d teams %v; want [Sales]", s, b["teams"])
	}
	// The team's list has only the member who stayed; the other team still has Ann.
	for _, tc := range []struct{ team, want string }{{"Ops", "[bob@x.test]"}, {"Sales", "[ann@x.test]"}} {
		items, _ := e.getPage("/api/v1/members?team=" + tc.team)
		var got []string
		for _, it := range items {
			got = append(got, it.(map[string]any)["email"].(string))
		}
		if fmt.Sprint(got) != tc.want {
			t.Errorf("members of %s: %v; want %v", tc.team, got, tc.want)
		}
	}

	// One audit entry records the removal, by the token that made the request.
	var tokenID string
	if err := e.db.R.QueryRowContext(ctx, `SELECT id FROM api_tokens WHERE token_hash = ?`, token.Hash(e.token)).Scan(&tokenID); err != nil {
		t.Fatal(err)
	}
	items, _ := e.getPage("/api/v1/audit?action=team.member_removed")
	if len(items) != 1 {
		t.Fatalf("audit entries for the removal: %v; want exactly one", items)
	}
	entry := items[0].(map[string]any)
	actor := entry["actor"].(map[string]any)
	target := entry["target"].(map[string]any)
	details := entry["details"].(map[string]any)
	if actor["kind"] != "api_token" || actor["name"] != "ci" || actor["id"] != tokenID {
		t.Errorf("audit actor %v; want the api_token ci with id %s", actor, tokenID)
	}
	if target["kind"] != "team" || target["id"] != ops || details["member"] != ann.ID || details["email"] != "ann@x.test" {
		t.Errorf("audit entry %v; want team %s and member %s", entry, ops, ann.ID)
	}

	// Removing again answers 404 and writes nothing more.
	if s, b := e.call("DELETE", "/api/v1/teams/"+ops+"/members/"+ann.ID, ""); s != 404 || errCode(b) != "not_found" {
		t.Fatalf("second removal: %d %v; want 404 not_found", s, b)
	}
	if items, _ := e.getPage("/api/v1/audit?action=team.member_removed"); len(items) != 1 {
		t.Fatalf("a refused removal wrote to the audit log: %v", items)
	}
}
