package api_test

import (
	"strings"
	"testing"
	"time"
)

// invite_ttl takes any positive duration up to 10 years; zero and negative are refused with a
// message naming the key.
func TestAPIInviteTTLAnyPositive(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ set, shown string }{
		{"30s", "30s"}, {"59s", "59s"}, {"1ms", "1ms"}, {"1ns", "1ms"}, {"87600h", "87600h"}, {"24h", "24h"},
	} {
		if s, b := e.call("PATCH", "/api/v1/settings", `{"invite_ttl":"`+tc.set+`"}`); s != 200 || b["invite_ttl"] != tc.shown {
			t.Errorf("invite_ttl %s: %d %v; want 200 with %q", tc.set, s, b, tc.shown)
		}
	}
	for _, bad := range []string{"0s", "-1m", "87601h"} {
		s, b := e.call("PATCH", "/api/v1/settings", `{"invite_ttl":"`+bad+`"}`)
		msg, _ := b["error"].(map[string]any)["message"].(string)
		if s != 422 || errCode(b) != "invalid_setting" || !strings.HasPrefix(msg, "invite_ttl:") {
			t.Errorf("invite_ttl %s: %d %v; want 422 invalid_setting naming invite_ttl", bad, s, b)
		}
	}
	// A lifetime under a minute is what invitations get.
	if s, b := e.call("PATCH", "/api/v1/settings", `{"invite_ttl":"30s"}`); s != 200 {
		t.Fatalf("ttl: %d %v", s, b)
	}
	_, b := e.call("POST", "/api/v1/invitations", `{"emails":["quick@x.test"],"notify":false}`)
	inv := b["created"].([]any)[0].(map[string]any)
	if want := e.now.Add(30 * time.Second).Format(time.RFC3339); inv["expires_at"] != want {
		t.Fatalf("expires_at %v; want %s", inv["expires_at"], want)
	}
}

// A lifetime shorter than the reminder's lead is refused, naming the reminder, until the
// reminder is changed with it or first.
func TestAPIInviteTTLKeepsTheReminderInside(t *testing.T) {
	e := newEnv(t)
	if s, b := e.call("PATCH", "/api/v1/settings", `{"invite_ttl":"168h","remind_before":"48h"}`); s != 200 {
		t.Fatalf("reminder: %d %v", s, b)
	}
	s, b := e.call("PATCH", "/api/v1/settings", `{"invite_ttl":"24h"}`)
	msg, _ := b["error"].(map[string]any)["message"].(string)
	if s != 422 || !strings.HasPrefix(msg, "invite_ttl:") || !strings.Contains(msg, "reminder") {
		t.Fatalf("a lifetime under the reminder: %d %v", s, b)
	}
	if s, b := e.call("PATCH", "/api/v1/settings", `{"invite_ttl":"24h","remind_before":"12h"}`); s != 200 || b["remind_before"] != "12h" {
		t.Fatalf("both at once: %d %v", s, b)
	}
}
