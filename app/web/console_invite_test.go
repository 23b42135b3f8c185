package web_test

import (
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// TestConsoleInviteResultSaysWhoWasLeftOut: after sending, the heading counts who was invited
// and, only when some were, who was left out; each "Copy link" button is named for its address
// so a screen reader can tell twenty of them apart.
func TestConsoleInviteResultSaysWhoWasLeftOut(t *testing.T) {
	s := newSite(t)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	a.get("/console/acme/invite")
	p := a.post("/console/acme/invite", "emails", "ann@example.com, bob@example.com; not-an-address\nada@acme.test", "step", "send")
	if p.status != 200 {
		t.Fatalf("send: %d", p.status)
	}
	p.mustContain(t, "<h2>2 invited, 2 left out (see below)</h2>", "No email was sent: copy each link below",
		`aria-label="Copy link for ann@example.com"`, `aria-label="Copy link for bob@example.com"`)
	if strings.Contains(p.body, "<h2>Done</h2>") {
		t.Error("the result still says only Done")
	}
	p = a.post("/console/acme/invite", "emails", "cy@example.com", "notify", "on", "step", "send")
	p.mustContain(t, "<h2>1 invited</h2>", "Their emails are on the way.")
	if strings.Contains(p.body, "left out") {
		t.Errorf("nobody was left out, yet the result says so:\n%s", p.text())
	}
}
