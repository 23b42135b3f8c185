package api_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lobby/lobby/app/org"
)

// Tokens are listed with when each was last used and never with its secret, and are revoked
// at once through the API. A token cannot make another one (POST is refused and nothing is
// made): otherwise one leaked token could mint others that outlive its revocation; tokens
// are made in the console or with `lobby token create`. One past its lifetime is listed as
// expired.
func TestAPITokens(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cli := org.SystemActor("cli", "t", e.orgID)
	deploy, err := e.svc.CreateTokenFor(ctx, cli, "api", "deploy", 90*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CreateTokenFor(ctx, cli, "scim", "idp", 365*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	if s, _ := e.callAs(deploy.Plain, "GET", "/api/v1/teams", ""); s != 200 {
		t.Fatalf("the deploy token: %d", s)
	}
	count := func() int {
		t.Helper()
		var n int
		if err := e.db.R.QueryRow(`SELECT count(*) FROM api_tokens`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	if s, b := e.call("POST", "/api/v1/tokens", `{"kind":"api","name":"minted"}`); s != 405 || errCode(b) != "method_not_allowed" || count() != before {
		t.Fatalf("a token making a token: %d %v, %d tokens (had %d); want 405 and none made", s, b, count(), before)
	}

	s, _, raw := e.raw("GET", "/api/v1/tokens", "", nil)
	list := decodeJSON(t, raw)
	items, _ := list["items"].([]any)
	if s != 200 || len(items) != 3 || strings.Contains(string(raw), deploy.Plain) || strings.Contains(string(raw), `"token"`) ||
		strings.Contains(string(raw), "hash") {
		t.Fatalf("list: %d %s", s, raw)
	}
	byName := map[string]map[string]any{}
	for _, it := range items {
		byName[it.(map[string]any)["name"].(string)] = it.(map[string]any)
	}
	if byName["deploy"]["last_used_at"] == nil || byName["idp"]["last_used_at"] != nil || byName["idp"]["kind"] != "scim" ||
		byName["ci"]["revoked_at"] != nil || byName["deploy"]["expired"] != false {
		t.Fatalf("listed tokens: %v", byName)
	}
	if s, _ := e.call("DELETE", "/api/v1/tokens/"+deploy.Token.ID, ""); s != 204 {
		t.Fatalf("revoke: %d", s)
	}
	if s, _ := e.callAs(deploy.Plain, "GET", "/api/v1/teams", ""); s != 401 {
		t.Fatalf("the revoked token: %d", s)
	}
	if s, b := e.call("DELETE", "/api/v1/tokens/"+deploy.Token.ID, ""); s != 404 || errCode(b) != "not_found" {
		t.Fatalf("revoke again: %d %v", s, b)
	}
	if _, err := e.svc.CreateTokenFor(ctx, cli, "api", "brief", time.Hour); err != nil {
		t.Fatal(err)
	}
	e.now = e.now.Add(time.Hour)
	items, _ = e.getPage("/api/v1/tokens")
	for _, it := range items {
		tok := it.(map[string]any)
		if tok["name"] == "deploy" && tok["revoked_at"] == nil {
			t.Errorf("deploy is not listed as revoked: %v", tok)
		}
		if want := tok["name"] == "brief"; tok["expired"] != want {
			t.Errorf("%v: expired %v", tok["name"], tok["expired"])
		}
	}
}

// decodeJSON reads a JSON object answer.
func decodeJSON(t *testing.T, raw []byte) map[string]any {
	t.Helper()
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("not JSON: %s", raw)
	}
	return out
}
