package api_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// A resource is created with its teams (names or ids) and listed with them; its teams are
// replaced with PUT and read back; it is given to and taken from one member directly; and
// deleted. A link that is no web address is refused naming the field, as the body names it.
func TestAPIResources(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := org.SystemActor("cli", "t", e.orgID)
	_, ops := e.call("POST", "/api/v1/teams", `{"name":"Ops"}`)
	e.call("POST", "/api/v1/teams", `{"name":"Sales"}`)
	s, b := e.call("POST", "/api/v1/resources", `{"name":"Runbook","url":"https://runbook.test/","description":"On call","teams":["`+ops["id"].(string)+`"]}`)
	if s != 201 || b["name"] != "Runbook" || b["url"] != "https://runbook.test/" || fmt.Sprint(b["teams"]) != "[Ops]" {
		t.Fatalf("create: %d %v", s, b)
	}
	id := b["id"].(string)
	if s, b := e.call("POST", "/api/v1/resources", `{"name":"Handbook","url":"https://handbook.test"}`); s != 201 || fmt.Sprint(b["teams"]) != "[]" {
		t.Fatalf("create without teams: %d %v", s, b)
	}
	items, next := e.getPage("/api/v1/resources?limit=1")
	rest, last := e.getPage("/api/v1/resources?limit=1&cursor=" + next)
	if len(items) != 1 || items[0].(map[string]any)["name"] != "Handbook" || len(rest) != 1 || last != "" ||
		fmt.Sprint(rest[0].(map[string]any)["teams"]) != "[Ops]" {
		t.Fatalf("list by name: %v then %v", items, rest)
	}
	if s, b := e.call("PUT", "/api/v1/resources/"+id+"/teams", `{"teams":["sales","Ops"]}`); s != 200 || !sameStrings(b["teams"], "Ops", "Sales") {
		t.Fatalf("set teams: %d %v", s, b)
	}
	if s, b := e.call("PUT", "/api/v1/resources/"+id+"/teams", `{}`); s != 400 || errCode(b) != "invalid_request" {
		t.Fatalf("a PUT without teams: %d %v", s, b)
	}
	if s, b := e.call("PUT", "/api/v1/resources/"+id+"/teams", `{"teams":["Ghosts"]}`); s != 422 || errCode(b) != "unknown_team" {
		t.Fatalf("an unknown team: %d %v", s, b)
	}
	if all, _ := e.getPage("/api/v1/resources"); !sameStrings(all[1].(map[string]any)["teams"], "Ops", "Sales") {
		t.Fatalf("teams after the refusals: %v", all[1])
	}
	if s, b := e.call("POST", "/api/v1/resources", `{"name":"Bad","url":"ftp://x.test"}`); s != 400 || b["error"].(map[string]any)["field"] != "url" {
		t.Fatalf("a link that is no web address: %d %v", s, b)
	}

	m, err := e.svc.AddMember(ctx, admin, org.NewMember{Email: "ann@x.test"})
	if err != nil {
		t.Fatal(err)
	}
	direct := func() bool {
		_, d, err := e.svc.MemberResources(ctx, admin, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		return d[id]
	}
	if s, _ := e.call("PUT", "/api/v1/members/"+m.ID+"/resources/"+id, ""); s != 204 || !direct() {
		t.Fatalf("grant: %d, direct %v", s, direct())
	}
	if s, _ := e.call("DELETE", "/api/v1/members/"+m.ID+"/resources/"+id, ""); s != 204 || direct() {
		t.Fatalf("withdraw: %d, direct %v", s, direct())
	}
	if s, b := e.call("DELETE", "/api/v1/members/"+m.ID+"/resources/"+id, ""); s != 404 || errCode(b) != "not_found" {
		t.Fatalf("withdraw again: %d %v", s, b)
	}
	if s, _ := e.call("DELETE", "/api/v1/resources/"+id, ""); s != 204 {
		t.Fatalf("delete: %d", s)
	}
	if all, _ := e.getPage("/api/v1/resources"); len(all) != 1 {
		t.Fatalf("after delete: %v", all)
	}
	if s, b := e.call("DELETE", "/api/v1/resources/"+id, ""); s != 404 || errCode(b) != "not_found" {
		t.Fatalf("delete again: %d %v", s, b)
	}
}

// sameStrings reports whether a JSON list holds exactly want, in any order.
func sameStrings(list any, want ...string) bool {
	got, _ := list.([]any)
	if len(got) != len(want) {
		return false
	}
	for _, w := range want {
		if !slices.Contains(got, any(w)) {
			return false
		}
	}
	return true
}
