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
	if strings.Contains(p.location, "saved") || !strings.Contains(p.location, "longer+than+0") {
		t.Fatalf("a zero lifetime: %q", p.location)
	}
	p = a.post("/console/acme/settings", "name", "Acme Ltd", "invite_ttl", "72h", "remind_before", "24h", "default_role", "member")
	if !strings.Contains(p.location, "Settings+saved") {
		t.Fatalf("back to a preset: %q", p.location)
	}
}
