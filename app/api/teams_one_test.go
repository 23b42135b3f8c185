package api_test

import (
	"context"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// A team is read by id with its member count, renamed (read back under its new name, and a
// name another team has is a conflict), and deleted (then 404; its member stays). A team
// managed by SCIM is refused both with 409 scim_managed, as the console refuses it.
func TestAPITeamReadRenameDelete(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := org.SystemActor("cli", "t", e.orgID)
	_, b := e.call("POST", "/api/v1/teams", `{"name":"Ops"}`)
	id := b["id"].(string)
	e.call("POST", "/api/v1/teams", `{"name":"Sales"}`)
	m, err := e.svc.AddMember(ctx, admin, org.NewMember{Email: "ann@x.test"})
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := e.call("PUT", "/api/v1/teams/"+id+"/members/"+m.ID, ""); s != 204 {
		t.Fatalf("add member: %d", s)
	}
	if s, b := e.call("GET", "/api/v1/teams/"+id, ""); s != 200 || b["name"] != "Ops" || b["member_count"] != 1.0 || b["source"] != "admin" {
		t.Fatalf("read: %d %v", s, b)
	}
	if s, b := e.call("PATCH", "/api/v1/teams/"+id, `{"name":"  Platform  Ops "}`); s != 200 || b["name"] != "Platform Ops" || b["member_count"] != 1.0 {
		t.Fatalf("rename: %d %v", s, b)
	}
	if s, b := e.call("GET", "/api/v1/teams/"+id, ""); s != 200 || b["name"] != "Platform Ops" {
		t.Fatalf("read after rename: %d %v", s, b)
	}
	if s, b := e.call("PATCH", "/api/v1/teams/"+id, `{"name":"sales"}`); s != 409 || errCode(b) != "conflict" {
		t.Fatalf("rename to a taken name: %d %v", s, b)
	}
	if s, b := e.call("PATCH", "/api/v1/teams/"+id, `{"title":"x"}`); s != 400 || errCode(b) != "invalid_request" {
		t.Fatalf("unknown field: %d %v", s, b)
	}
	if s, b := e.call("PATCH", "/api/v1/teams/"+id, `{}`); s != 200 || b["name"] != "Platform Ops" {
		t.Fatalf("empty patch: %d %v", s, b)
	}
	if s, _ := e.call("DELETE", "/api/v1/teams/"+id, ""); s != 204 {
		t.Fatalf("delete: %d", s)
	}
	if s, b := e.call("GET", "/api/v1/teams/"+id, ""); s != 404 || errCode(b) != "not_found" {
		t.Fatalf("read after delete: %d %v", s, b)
	}
	if s, b := e.call("GET", "/api/v1/members/"+m.ID, ""); s != 200 || len(b["teams"].([]any)) != 0 {
		t.Fatalf("the member after the team went: %d %v", s, b)
	}
	if _, b := e.call("GET", "/api/v1/audit?action=team.", ""); len(b["items"].([]any)) != 5 {
		t.Fatalf("audit: %v", b["items"])
	}

	g, err := e.svc.SCIMCreateGroup(ctx, admin, "Engineering", "ext-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if s, b := e.call("GET", "/api/v1/teams/"+g.ID, ""); s != 200 || b["source"] != "scim" {
		t.Fatalf("read a SCIM team: %d %v", s, b)
	}
	if s, b := e.call("PATCH", "/api/v1/teams/"+g.ID, `{"name":"Eng"}`); s != 409 || errCode(b) != "scim_managed" {
		t.Fatalf("rename a SCIM team: %d %v", s, b)
	}
	if s, b := e.call("DELETE", "/api/v1/teams/"+g.ID, ""); s != 409 || errCode(b) != "scim_managed" {
		t.Fatalf("delete a SCIM team: %d %v", s, b)
	}
	if s, b := e.call("GET", "/api/v1/teams/"+g.ID, ""); s != 200 || b["name"] != "Engineering" {
		t.Fatalf("the SCIM team after the refusals: %d %v", s, b)
	}
}
