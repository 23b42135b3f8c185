package api_test

import (
	"strings"
	"testing"
)

// A query parameter a route does not take is refused, naming it and what the route takes,
// instead of being ignored: a filter that did nothing would answer with everything.
func TestAPIRefusesUnknownQueryParameters(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ path, param, takes string }{
		{"/api/v1/export/invitations.csv?team=Nope", "team", "status, q, import_id"},
		{"/api/v1/members?stauts=active", "stauts", "status, team, role, q, limit, cursor"},
		{"/api/v1/settings?x=1", "x", "no query parameters"},
	} {
		s, b := e.call("GET", tc.path, "")
		msg, _ := b["error"].(map[string]any)["message"].(string)
		field, _ := b["error"].(map[string]any)["field"].(string)
		if s != 400 || errCode(b) != "invalid_request" || field != tc.param || !strings.Contains(msg, tc.takes) {
			t.Errorf("%s: %d %v", tc.path, s, b)
		}
	}
	if s, _ := e.call("GET", "/api/v1/members?status=active&limit=5", ""); s != 200 {
		t.Fatalf("known parameters: %d", s)
	}
}
