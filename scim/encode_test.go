package scim

import (
	"encoding/json"
	"testing"
)

// appendJSON writes what encoding/json writes, for every shape a SCIM answer holds and for the
// strings that need escaping.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	strs := []string{"", "plain", `quote " and \ backslash`, "<b>&amp;</b>", "tab\tnew\nline\r", "\x00\x1f\x7f",
		"Zoë Ångström", "日本語", "line\u2028sep\u2029", "bad \xff utf-8", "Password"}
	values := []any{nil, true, false, 0, -7, 1 << 40, []any(nil), []any{}, []string(nil), []string{}, map[string]any(nil),
		map[string]any{}, libMeta{ResourceType: "User", Location: "https://x/<a>"}, 1.5, []int{1, 2}}
	for _, s := range strs {
		values = append(values, s, []string{s, "b"}, map[string]any{s: s, "z": []any{s, map[string]any{"b": s, "a": 1}}})
	}
	values = append(values, map[string]any{"schemas": []string{"urn:x"}, "Resources": []any{
		map[string]any{"userName": "a@example.com", "active": true, "emails": []any{map[string]any{"value": "a@example.com", "primary": true}},
			"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": map[string]any{"manager": map[string]any{"value": "m"}},
			"meta": libMeta{ResourceType: "User", Created: "2026-01-01T00:00:00Z", Location: "https://x/Users/1", Version: `W/"1"`}},
	}, "totalResults": 1, "startIndex": 1})
	for _, v := range values {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendJSON(nil, v)
		if err != nil || string(got) != string(want) {
			t.Errorf("appendJSON(%#v)\n got  %s (%v)\n want %s", v, got, err, want)
		}
	}
}
