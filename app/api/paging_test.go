package api_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// pagedList makes n rows of one list in a fresh organization and returns the list's path.
type pagedList struct {
	name string
	make func(e *env, n int) string
}

var pagedLists = []pagedList{
	{"invitations", func(e *env, n int) string {
		for i := range n {
			if s, b := e.call("POST", "/api/v1/invitations", fmt.Sprintf(`{"emails":["p%d@x.test"],"notify":false}`, i)); s != 201 {
				e.t.Fatalf("invite: %d %v", s, b)
			}
		}
		return "/api/v1/invitations?status=pending"
	}},
	{"members", func(e *env, n int) string {
		for i := range n {
			if _, err := e.svc.AddMember(context.Background(), org.SystemActor("cli", "t", e.orgID), org.NewMember{Email: fmt.Sprintf("m%d@x.test", i)}); err != nil {
				e.t.Fatal(err)
			}
		}
		return "/api/v1/members"
	}},
	{"audit", func(e *env, n int) string {
		for i := range n {
			if s, b := e.call("POST", "/api/v1/teams", fmt.Sprintf(`{"name":"Team %d"}`, i)); s != 201 {
				e.t.Fatalf("team: %d %v", s, b)
			}
		}
		return "/api/v1/audit?action=team.created"
	}},
	{"imports", func(e *env, n int) string {
		for range n {
			if s, b := e.rawJSON("POST", "/api/v1/imports", "text/csv", []byte("email\r\na@x.test\r\n")); s != 201 {
				e.t.Fatalf("import: %d %v", s, b)
			}
		}
		return "/api/v1/imports"
	}},
	{"import rows", func(e *env, n int) string {
		file := "email\r\n"
		for i := range n {
			file += fmt.Sprintf("r%d@x.test\r\n", i)
		}
		s, b := e.rawJSON("POST", "/api/v1/imports", "text/csv", []byte(file))
		if s != 201 {
			e.t.Fatalf("import: %d %v", s, b)
		}
		return "/api/v1/imports/" + b["id"].(string) + "/rows"
	}},
	{"teams", func(e *env, n int) string {
		for i := range n {
			if s, b := e.call("POST", "/api/v1/teams", fmt.Sprintf(`{"name":"R&D %d"}`, i)); s != 201 {
				e.t.Fatalf("team: %d %v", s, b)
			}
		}
		return "/api/v1/teams"
	}},
}

// withQuery adds query parameters to a path that may have some already.
func withQuery(path string, kv ...string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	for i := 0; i < len(kv); i += 2 {
		path += sep + kv[i] + "=" + url.QueryEscape(kv[i+1])
		sep = "&"
	}
	return path
}

// getPage reads one page and returns its items and next_cursor.
func (e *env) getPage(path string) ([]any, string) {
	e.t.Helper()
	s, b := e.call("GET", path, "")
	if s != 200 {
		e.t.Fatalf("GET %s: %d %v", path, s, b)
	}
	cursor, ok := b["next_cursor"].(string)
	if !ok {
		e.t.Fatalf("GET %s: next_cursor is not a string: %v", path, b)
	}
	return b["items"].([]any), cursor
}

// A page that holds exactly the last rows has no next_cursor; with one row more it has one, and
// following it gives that row on a last page.
func TestAPIListsEndWithoutCursor(t *testing.T) {
	t.Parallel()
	const limit = 3
	for _, l := range pagedLists {
		t.Run(l.name+"/exactly full", func(t *testing.T) {
			e := newEnv(t)
			path := l.make(e, limit)
			items, next := e.getPage(withQuery(path, "limit", fmt.Sprint(limit)))
			if len(items) != limit || next != "" {
				t.Fatalf("%d items, next_cursor %q; want %d and none", len(items), next, limit)
			}
		})
		t.Run(l.name+"/one more", func(t *testing.T) {
			e := newEnv(t)
			path := l.make(e, limit+1)
			items, next := e.getPage(withQuery(path, "limit", fmt.Sprint(limit)))
			if len(items) != limit || next == "" {
				t.Fatalf("%d items, next_cursor %q; want %d and a cursor", len(items), next, limit)
			}
			rest, last := e.getPage(withQuery(path, "limit", fmt.Sprint(limit), "cursor", next))
			if len(rest) != 1 || last != "" {
				t.Fatalf("after the cursor: %d items, next_cursor %q; want 1 and none", len(rest), last)
			}
			seen := map[string]bool{}
			for _, it := range append(items, rest...) {
				m := it.(map[string]any)
				key := fmt.Sprint(m["id"], m["line"])
				if seen[key] {
					t.Fatalf("%s came twice", key)
				}
				seen[key] = true
			}
		})
	}
}

// Every list refuses a bad limit or cursor the same way, teams included.
func TestAPIListsRefuseBadPaging(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/api/v1/teams", "/api/v1/members", "/api/v1/invitations", "/api/v1/audit", "/api/v1/imports"} {
		for _, limit := range []string{"0", "-1", "abc"} {
			s, b := e.call("GET", path+"?limit="+limit, "")
			detail, _ := b["error"].(map[string]any)
			if f, _ := detail["field"].(string); s != 400 || errCode(b) != "invalid_request" || f != "limit" {
				t.Errorf("%s?limit=%s: %d %v", path, limit, s, b)
			}
		}
	}
	if s, b := e.call("GET", "/api/v1/teams?cursor=%25%25", ""); s != 400 || errCode(b) != "invalid_request" {
		t.Errorf("teams with a cursor it never gave: %d %v", s, b)
	}
}

// The OpenAPI document names limit and cursor on every list.
func TestOpenAPIListsTakeLimitAndCursor(t *testing.T) {
	e := newEnv(t)
	_, doc := e.callAs("", "GET", "/api/v1/openapi.json", "")
	n := 0
	for path, item := range doc["paths"].(map[string]any) {
		op, ok := item.(map[string]any)["get"].(map[string]any)
		if !ok {
			continue
		}
		ok200, _ := op["responses"].(map[string]any)["200"].(map[string]any)
		content, _ := ok200["content"].(map[string]any)["application/json"].(map[string]any)
		schema, _ := content["schema"].(map[string]any)
		ref, _ := schema["$ref"].(string)
		if !strings.HasSuffix(ref, "List") {
			continue
		}
		n++
		names := map[string]bool{}
		params, _ := op["parameters"].([]any)
		for _, p := range params {
			if p := p.(map[string]any); p["in"] == "query" {
				names[p["name"].(string)] = true
			}
		}
		if !names["limit"] || !names["cursor"] {
			t.Errorf("GET %s (%s) does not list limit and cursor: %v", path, ref, names)
		}
	}
	if n < 6 {
		t.Fatalf("only %d lists found", n)
	}
}
