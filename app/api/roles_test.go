package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// The roles list shows the built-in roles and custom ones, highest first, with their
// permissions and how many members hold each; a custom role made through the API is listed
// with the permissions given. org's refusals keep their codes: a bad key or permission
// (owners:manage included: no custom role may hold it) is invalid_request naming the field, a
// key taken is a conflict.
func TestAPIRolesListAndCreate(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := org.SystemActor("cli", "t", e.orgID)
	for _, em := range []string{"a@x.test", "b@x.test"} {
		if _, err := e.svc.AddMember(ctx, admin, org.NewMember{Email: em, Role: "admin"}); err != nil {
			t.Fatal(err)
		}
	}
	s, b := e.call("POST", "/api/v1/roles", `{"key":"support","name":"Support","permissions":["members:read","invitations:manage"]}`)
	if s != 201 || b["key"] != "support" || b["builtin"] != false || fmt.Sprint(b["permissions"]) != "[members:read invitations:manage]" {
		t.Fatalf("create: %d %v", s, b)
	}
	if _, err := e.svc.AddMember(ctx, admin, org.NewMember{Email: "c@x.test", Role: "support"}); err != nil {
		t.Fatal(err)
	}
	s, b = e.call("GET", "/api/v1/roles", "")
	if s != 200 || b["next_cursor"] != "" {
		t.Fatalf("list: %d %v", s, b)
	}
	var got []string
	for _, it := range b["items"].([]any) {
		r := it.(map[string]any)
		got = append(got, fmt.Sprintf("%s:%v:%v", r["key"], r["builtin"], r["member_count"]))
	}
	if want := "owner:true:0 admin:true:2 support:false:1 member:true:0"; strings.Join(got, " ") != want {
		t.Fatalf("roles %q; want %q", strings.Join(got, " "), want)
	}
	// Paging walks them all, a page at a time.
	items, next := e.getPage("/api/v1/roles?limit=3")
	rest, last := e.getPage("/api/v1/roles?limit=3&cursor=" + next)
	if len(items) != 3 || len(rest) != 1 || last != "" || rest[0].(map[string]any)["key"] != "member" {
		t.Fatalf("pages: %v then %v (%q)", items, rest, last)
	}
	for _, tc := range []struct {
		body        string
		status      int
		code, field string
	}{
		{`{"key":"Support Team","name":"x","permissions":[]}`, 400, "invalid_request", "key"},
		{`{"key":"admin","name":"x","permissions":[]}`, 400, "invalid_request", "key"},
		{`{"key":"helpers","name":"x","permissions":["members:fly"]}`, 400, "invalid_request", "permissions"},
		{`{"key":"helpers","name":"x","permissions":["owners:manage"]}`, 400, "invalid_request", "permissions"},
		{`{"key":"support","name":"Again","permissions":[]}`, 409, "conflict", "key"},
		{`{"key":"helpers","name":"x","perms":[]}`, 400, "invalid_request", ""},
	} {
		s, b := e.call("POST", "/api/v1/roles", tc.body)
		field, _ := b["error"].(map[string]any)["field"].(string)
		if s != tc.status || errCode(b) != tc.code || field != tc.field {
			t.Errorf("%s: %d %v; want %d %s %q", tc.body, s, b, tc.status, tc.code, tc.field)
		}
	}
	if _, b := e.call("GET", "/api/v1/roles", ""); len(b["items"].([]any)) != 4 {
		t.Fatalf("refused roles were made: %v", b["items"])
	}
	if s, b := e.call("GET", "/api/v1/roles?cursor=nope", ""); s != 400 || errCode(b) != "invalid_request" {
		t.Fatalf("a cursor never given: %d %v", s, b)
	}
}
