package api_test

import (
	"context"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// The People list holds members and open invitations together, newest first (or oldest
// first), with the console's filters (status, role, team, q), and pages across both kinds.
func TestAPIPeople(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := org.SystemActor("cli", "t", e.orgID)
	_, ops := e.call("POST", "/api/v1/teams", `{"name":"Ops"}`)
	ann, err := e.svc.AddMember(ctx, admin, org.NewMember{Email: "ann@x.test", Name: "Ann"})
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := e.call("PUT", "/api/v1/teams/"+ops["id"].(string)+"/members/"+ann.ID, ""); s != 204 {
		t.Fatalf("ann into Ops: %d", s)
	}
	if _, err := e.svc.AddMember(ctx, admin, org.NewMember{Email: "ada@x.test", Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	e.call("POST", "/api/v1/invitations", `{"emails":["pat@x.test"],"teams":["Ops"],"notify":false}`)
	_, b := e.call("POST", "/api/v1/invitations", `{"emails":["rev@x.test"],"notify":false}`)
	e.call("POST", "/api/v1/invitations/"+b["created"].([]any)[0].(map[string]any)["id"].(string)+"/revoke", "")

	emails := func(path string) []string {
		t.Helper()
		items, _ := e.getPage(path)
		var out []string
		for _, it := range items {
			out = append(out, it.(map[string]any)["email"].(string))
		}
		return out
	}
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/api/v1/people", []string{"rev@x.test", "pat@x.test", "ada@x.test", "ann@x.test"}},
		{"/api/v1/people?sort=oldest", []string{"ann@x.test", "ada@x.test", "pat@x.test", "rev@x.test"}},
		{"/api/v1/people?status=active", []string{"ada@x.test", "ann@x.test"}},
		{"/api/v1/people?status=revoked", []string{"rev@x.test"}},
		{"/api/v1/people?role=Admin", []string{"ada@x.test"}},
		{"/api/v1/people?team=ops", []string{"pat@x.test", "ann@x.test"}},
		{"/api/v1/people?q=pat", []string{"pat@x.test"}},
		{"/api/v1/people?status=pending&team=Ops", []string{"pat@x.test"}},
	} {
		if got := emails(tc.path); !sameStrings(toAny(got), tc.want...) || (len(got) > 0 && got[0] != tc.want[0]) {
			t.Errorf("%s: %v; want %v", tc.path, got, tc.want)
		}
	}
	items, _ := e.getPage("/api/v1/people?status=pending")
	pat := items[0].(map[string]any)
	if pat["kind"] != "invitation" || pat["status"] != "pending" || pat["delivery_status"] != "not_sent" || pat["expires_at"] == nil || pat["role"] != "member" {
		t.Fatalf("an invitation: %v", pat)
	}
	items, _ = e.getPage("/api/v1/people?role=admin")
	if ada := items[0].(map[string]any); ada["kind"] != "member" || ada["source"] != "admin" || ada["expires_at"] != nil || ada["status"] != "active" {
		t.Fatalf("a member: %v", ada)
	}
	first, next := e.getPage("/api/v1/people?limit=3")
	rest, last := e.getPage("/api/v1/people?limit=3&cursor=" + next)
	if len(first) != 3 || len(rest) != 1 || last != "" || rest[0].(map[string]any)["email"] != "ann@x.test" {
		t.Fatalf("pages: %v then %v", first, rest)
	}
	for _, tc := range []struct{ path, code, field string }{
		{"/api/v1/people?status=gone", "invalid_request", "status"},
		{"/api/v1/people?sort=sideways", "invalid_request", "sort"},
		{"/api/v1/people?team=Nope", "unknown_team", "team"},
		{"/api/v1/people?cursor=garbage", "invalid_request", "cursor"},
		{"/api/v1/people?stauts=active", "invalid_request", "stauts"},
	} {
		s, b := e.call("GET", tc.path, "")
		if s < 400 || errCode(b) != tc.code || b["error"].(map[string]any)["field"] != tc.field {
			t.Errorf("%s: %d %v", tc.path, s, b)
		}
	}
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
