package api_test

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/auth/token"
)

// The audit list's actor= (a token's id or name) and since= (RFC 3339) filters each leave out
// what they should: entries by another actor, and entries from before the time. Entries made
// at exactly the time are kept, and the two filters combine.
func TestAPIAuditActorAndSinceFilters(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	bot, err := e.svc.CreateToken(ctx, org.SystemActor("cli", "t", e.orgID), "api", "bot")
	if err != nil {
		t.Fatal(err)
	}
	var ciID string
	if err := e.db.R.QueryRowContext(ctx, `SELECT id FROM api_tokens WHERE token_hash = ?`, token.Hash(e.token)).Scan(&ciID); err != nil {
		t.Fatal(err)
	}
	team := func(tok, name string) string {
		t.Helper()
		s, b := e.callAs(tok, "POST", "/api/v1/teams", `{"name":"`+name+`"}`)
		if s != 201 {
			t.Fatalf("team %s: %d %v", name, s, b)
		}
		return name
	}
	// Two teams by each token an hour apart; the command line made the org and tokens before.
	t0 := e.now
	team(e.token, "CiEarly")
	team(bot.Plain, "BotEarly")
	e.now = t0.Add(time.Hour)
	team(e.token, "CiLate")
	team(bot.Plain, "BotLate")

	// list answers the entries of a filter as "actor action name", sorted.
	list := func(query string) string {
		t.Helper()
		items, next := e.getPage("/api/v1/audit?" + query)
		if next != "" {
			t.Fatalf("%s: more than one page", query)
		}
		var got []string
		for _, it := range items {
			en := it.(map[string]any)
			name, _ := en["details"].(map[string]any)["name"].(string)
			got = append(got, fmt.Sprintf("%s %s %s", en["actor"].(map[string]any)["name"], en["action"], name))
		}
		sort.Strings(got)
		return fmt.Sprint(got)
	}
	// Unfiltered, the log also has the command line's entries and the early ones.
	if got, want := list(""), "[bot team.created BotEarly bot team.created BotLate ci team.created CiEarly ci team.created CiLate "+
		"t organization.created  t token.created bot t token.created ci]"; got != want {
		t.Fatalf("the whole log: %s; want %s", got, want)
	}
	for _, tc := range []struct{ query, want string }{
		{"actor=ci", "[ci team.created CiEarly ci team.created CiLate]"},
		{"actor=" + ciID, "[ci team.created CiEarly ci team.created CiLate]"},
		{"actor=" + bot.Token.ID, "[bot team.created BotEarly bot team.created BotLate]"},
		{"actor=nobody", "[]"},
		{"since=" + t0.Add(30*time.Minute).Format(time.RFC3339), "[bot team.created BotLate ci team.created CiLate]"},
		{"since=" + t0.Add(time.Hour).Format(time.RFC3339), "[bot team.created BotLate ci team.created CiLate]"},
		{"since=" + t0.Add(time.Hour+time.Second).Format(time.RFC3339), "[]"},
		{"actor=bot&since=" + t0.Add(30*time.Minute).Format(time.RFC3339), "[bot team.created BotLate]"},
	} {
		if got := list(tc.query); got != tc.want {
			t.Errorf("%s: %s; want %s", tc.query, got, tc.want)
		}
	}
	// A since that is not RFC 3339 is refused, not ignored.
	s, b := e.call("GET", "/api/v1/audit?since=yesterday", "")
	field, _ := b["error"].(map[string]any)["field"].(string)
	if s != 400 || errCode(b) != "invalid_request" || field != "since" {
		t.Fatalf("since=yesterday: %d %v", s, b)
	}
}
