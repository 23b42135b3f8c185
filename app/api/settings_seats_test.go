package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// A seat limit saved below the seats in use is kept (an admin may mean it: nobody new until
// people leave), and the answer warns what it means; at or above the seats in use, no warning.
func TestAPISeatLimitBelowUseWarns(t *testing.T) {
	e := newEnv(t)
	for _, addr := range []string{"a@acme.test", "b@acme.test", "c@acme.test"} {
		if _, err := e.svc.AddMember(context.Background(), org.SystemActor("cli", "t", e.orgID), org.NewMember{Email: addr}); err != nil {
			t.Fatal(err)
		}
	}
	s, b := e.call("PATCH", "/api/v1/settings", `{"seat_limit":1}`)
	w, _ := b["warnings"].([]any)
	if s != 200 || b["seat_limit"] != float64(1) || len(w) != 1 || !strings.Contains(w[0].(string), "seat_limit 1 is below the 3 seats in use") {
		t.Fatalf("a limit below use: %d %v", s, b)
	}
	if _, b := e.call("GET", "/api/v1/settings", ""); b["warnings"] == nil {
		t.Fatalf("reading the settings while over the limit: %v", b)
	}
	if s, b := e.call("PATCH", "/api/v1/settings", `{"seat_limit":3}`); s != 200 || b["warnings"] != nil {
		t.Fatalf("a limit equal to use: %d %v", s, b)
	}
	if s, b := e.call("PATCH", "/api/v1/settings", `{"warnings":[]}`); s != 422 || errCode(b) != "invalid_setting" {
		t.Fatalf("warnings sent back: %d %v", s, b)
	}
}
