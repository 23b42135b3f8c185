package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lobby/lobby/app/org"
)

// A lifetime under a minute set through the API shows in the settings form, and the form
// saves with it (it sends back whatever lifetime is selected).
func TestConsoleSettingsKeepShortInviteTTL(t *testing.T) {
	s := newSite(t)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	ttl, off := 30*time.Second, time.Duration(0)
	if _, err := s.svc.UpdateSettings(context.Background(), s.admin, org.SettingsPatch{InviteTTL: &ttl, RemindBefore: &off}); err != nil {
		t.Fatal(err)
	}
	a.get("/console/acme/settings").mustContain(t, `<option value="30s" selected>30s (set through the API)</option>`)
	p := a.post("/console/acme/settings", "name", "Acme Ltd", "seat_limit", "", "invite_ttl", "30s", "remind_before", "0h", "default_role", "member")
	if !strings.Contains(p.location, "Settings+saved") {
		t.Fatalf("save with a 30s lifetime: %q", p.location)
	}
	a.get("/console/acme/settings").mustContain(t, `value="Acme Ltd"`, `<option value="30s" selected>`)
	p = a.post("/console/acme/settings", "name", "Acme Ltd", "invite_ttl", "0s", "remind_before", "0h", "default_role", "member")
	if p.status != 422 || !strings.Contains(p.body, "longer than 0") {
		t.Fatalf("a zero lifetime: %d %q", p.status, p.location)
	}
	p = a.post("/console/acme/settings", "name", "Acme Ltd", "invite_ttl", "72h", "remind_before", "24h", "default_role", "member")
	if !strings.Contains(p.location, "Settings+saved") {
		t.Fatalf("back to a preset: %q", p.location)
	}
}

// TestConsoleSettingsSayWhenTheLimitIsBelowUse: a seat limit under the seats in use is saved
// (it stops newcomers, nobody is removed), and the notice says what that means; the next
// invitation then says how many are in use rather than "used all 1 of its seats".
func TestConsoleSettingsSayWhenTheLimitIsBelowUse(t *testing.T) {
	s := newSite(t)
	a := s.signedIn("ada@acme.test", org.RoleAdmin) // with Olga, 2 seats in use
	s.invite("ivy@example.com")                     // 3
	form := []string{"name", "Acme", "invite_ttl", "168h", "remind_before", "0h", "default_role", "member"}
	p := a.post("/console/acme/settings", append(form, "seat_limit", "1")...)
	if p.status != 303 {
		t.Fatalf("save: %d", p.status)
	}
	a.get(p.location).mustContain(t, "Saved. 3 seats are in use, more than the new limit of 1: nobody new can join until some leave.")
	a.get("/console/acme/settings").mustContain(t, `name="seat_limit"`, `value="1"`,
		"Seats: <strong>3</strong> in use, more than the limit of 1")
	// Saved again unchanged, it is not "new".
	a.get(a.post("/console/acme/settings", append(form, "seat_limit", "1")...).location).
		mustContain(t, "Saved. 3 seats are in use, more than the limit of 1")
	a.get("/console/acme/invite")
	a.post("/console/acme/invite", "emails", "bo@example.com", "step", "send").
		mustContain(t, "Acme has no seats left: 3 in use, limit 1; free seats or raise the limit")
	// A limit above use is saved as ever.
	if p := a.post("/console/acme/settings", append(form, "seat_limit", "5")...); !strings.Contains(p.location, "Settings+saved") {
		t.Fatalf("a limit above use: %q", p.location)
	}
	a.get("/console/acme/settings").mustContain(t, "Seats: <strong>3</strong> of 5 used")
}

// A mistake in the settings or join page form shows the form again with everything typed
// still in it and the problem named in words (nothing saved), instead of the stored values.
func TestConsoleSettingsFormsKeepWhatWasTyped(t *testing.T) {
	s := newSite(t)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	p := a.post("/console/acme/settings", "name", "Acme Renamed", "seat_limit", "-3", "accent_color", "#123456",
		"invite_ttl", "168h", "remind_before", "0h", "default_role", "member", "require_team", "on")
	if p.status != 422 {
		t.Fatalf("a negative seat limit: %d %q", p.status, p.location)
	}
	p.mustContain(t, `role="alert">Seat limit: write a whole number of 0 or more, or leave it empty for no limit.`,
		`value="Acme Renamed"`, `value="-3"`, `value="#123456"`, `name="require_team" checked`)
	p = a.post("/console/acme/settings", "name", "Acme Renamed", "accent_color", "#zzzzzz", "invite_ttl", "168h",
		"remind_before", "0h", "default_role", "member")
	if p.status != 422 {
		t.Fatalf("a bad color: %d", p.status)
	}
	p.mustContain(t, "Accent color: must be a color like #3b5bdb.", `value="Acme Renamed"`, `value="#zzzzzz"`)
	if s.count(`SELECT count(*) FROM organizations WHERE name = 'Acme Renamed'`) != 0 {
		t.Fatal("a form with a mistake saved part of itself")
	}

	p = a.post("/console/acme/join", "join_enabled", "on", "join_allowed_domains", "example.com\nfoo.org\nnot a domain!",
		"join_allowed_emails", "vip@partner.test", "join_role", "member", "join_limit", "12", "join_welcome", "Hello learners")
	if p.status != 422 {
		t.Fatalf("a bad domain: %d", p.status)
	}
	p.mustContain(t, "example.com\nfoo.org\nnot a domain!", "vip@partner.test", `value="12"`, "Hello learners</textarea>",
		`name="join_enabled" checked`)
	if s.count(`SELECT count(*) FROM organizations WHERE join_enabled = 1`) != 0 {
		t.Fatal("a join form with a mistake saved part of itself")
	}
}
