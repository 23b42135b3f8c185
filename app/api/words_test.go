package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// Errors about a body say what was wrong in words a caller knows (no Go type names), name the
// field or setting that held the bad value, and tell a number too large from a wrong type.
func TestAPIErrorsNameTheFieldInWords(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		method, path, body string
		status             int
		field, want        string
	}{
		{"POST", "/api/v1/invitations", `[]`, 400, "", "the body must be an object, not a list"},
		{"POST", "/api/v1/invitations", `{"emails":"a@b.co"}`, 400, "", `field "emails" must be a list of strings, not string`},
		{"POST", "/api/v1/invitations", `{"emails":["a@b.co"],"notify":"yes"}`, 400, "", `field "notify" must be true or false`},
		{"PATCH", "/api/v1/settings", `{"default_role":"bogus"}`, 422, "default_role", `default_role: role "bogus" does not exist`},
		{"PATCH", "/api/v1/settings", `{"join_role":"bogus"}`, 422, "join_role", `join_role: role "bogus" does not exist`},
		{"PATCH", "/api/v1/settings", `{"join_teams":["Nope"]}`, 422, "join_teams", "join_teams: "},
		{"PATCH", "/api/v1/settings", `{"invite_ttl":null}`, 422, "invite_ttl", "invite_ttl: cannot be null"},
		{"PATCH", "/api/v1/settings", `{"seat_limit":99999999999999999999}`, 422, "seat_limit", "seat_limit: is out of range"},
		{"PATCH", "/api/v1/settings", `{"seat_limit":1.5}`, 422, "seat_limit", "seat_limit: has the wrong type (want a whole number or null)"},
		{"GET", "/api/v1/members?team=Nope", "", 0, "team", ""},
		{"GET", "/api/v1/members?role=bogus", "", 0, "role", `role "bogus" does not exist`},
		{"GET", "/api/v1/members?cursor=garbage", "", 400, "cursor", "next_cursor of the previous page"},
		{"GET", "/api/v1/invitations?cursor=garbage", "", 400, "cursor", "next_cursor of the previous page"},
		{"GET", "/api/v1/audit?cursor=garbage", "", 400, "cursor", "next_cursor of the previous page"},
		{"GET", "/api/v1/imports?cursor=garbage", "", 400, "cursor", "next_cursor of the previous page"},
	} {
		s, b := e.call(tc.method, tc.path, tc.body)
		err, _ := b["error"].(map[string]any)
		msg, _ := err["message"].(string)
		field, _ := err["field"].(string)
		if (tc.status != 0 && s != tc.status) || s < 400 || field != tc.field || !strings.Contains(msg, tc.want) ||
			strings.Contains(msg, "api.") || strings.Contains(msg, "[]string") || strings.Contains(msg, "int64") {
			t.Errorf("%s %s %s: %d %v", tc.method, tc.path, tc.body, s, b)
		}
	}
}

// A role key is read without regard to case, as CSV imports read it; a PATCH that changes
// nothing records nothing.
func TestAPIRoleCaseAndEmptyPatch(t *testing.T) {
	e := newEnv(t)
	s, b := e.call("POST", "/api/v1/invitations", `{"emails":["ann@example.com"],"role":"Admin"}`)
	created, _ := b["created"].([]any)
	if s != 201 || len(created) != 1 || created[0].(map[string]any)["role"] != "admin" {
		t.Fatalf("role Admin: %d %v", s, b)
	}
	id := created[0].(map[string]any)["id"].(string)
	before := e.count(`SELECT count(*) FROM audit_log`)
	for _, body := range []string{`{}`, `{"role":null}`} {
		if s, b := e.call("PATCH", "/api/v1/invitations/"+id, body); s != 200 || b["role"] != "admin" {
			t.Fatalf("PATCH %s: %d %v", body, s, b)
		}
	}
	if n := e.count(`SELECT count(*) FROM audit_log`); n != before {
		t.Fatalf("empty PATCHes wrote %d audit entries", n-before)
	}
	if s, _ := e.call("POST", "/api/v1/invitations/"+id+"/revoke", ""); s != 200 {
		t.Fatalf("revoke: %d", s)
	}
	if s, b := e.call("PATCH", "/api/v1/invitations/"+id, `{}`); s != 409 || errCode(b) != "invitation_not_pending" {
		t.Fatalf("an empty PATCH of a revoked invitation: %d %v", s, b)
	}
	if _, err := e.svc.AddMember(context.Background(), org.SystemActor("cli", "t", e.orgID), org.NewMember{Email: "ada@example.com", Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	if s, b := e.call("GET", "/api/v1/members?role=Admin", ""); s != 200 || len(b["items"].([]any)) != 1 {
		t.Fatalf("members with role Admin: %d %v", s, b)
	}
}
