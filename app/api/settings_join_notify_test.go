package api_test

import (
	"fmt"
	"strings"
	"testing"
)

// join_notify (email the admins each time someone joins through the join page) is read and
// changed through the settings like the other join settings, and a value that is not a
// boolean is refused naming it.
func TestAPISettingsJoinNotify(t *testing.T) {
	e := newEnv(t)
	if s, b := e.call("GET", "/api/v1/settings", ""); s != 200 || b["join_notify"] != false {
		t.Fatalf("settings: %d join_notify=%v, want false", s, b["join_notify"])
	}
	if s, b := e.call("PATCH", "/api/v1/settings", `{"join_notify":true}`); s != 200 || b["join_notify"] != true {
		t.Fatalf("turning it on: %d join_notify=%v", s, b["join_notify"])
	}
	if s, b := e.call("GET", "/api/v1/settings", ""); s != 200 || b["join_notify"] != true {
		t.Fatalf("after turning it on: %d join_notify=%v", s, b["join_notify"])
	}
	if s, b := e.call("PATCH", "/api/v1/settings", `{"join_notify":"yes"}`); s/100 != 4 || !strings.Contains(fmt.Sprint(b["error"]), "join_notify") {
		t.Fatalf("a string for join_notify: %d %v, want a 4xx naming join_notify", s, b)
	}
}
