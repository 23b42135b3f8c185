package web_test

import (
	"strings"
	"testing"
	"time"
)

// A provider that is down is found out by the first page that shows its button (Lobby reaches
// providers lazily), and from then on its buttons say the login is unavailable instead of
// leading to an error page; once a sign-in reaches it again, the buttons are back.
func TestSSOButtonSaysWhenTheProviderIsDown(t *testing.T) {
	s := newSSOSite(t)
	s.op.SetDown(true)
	b := s.web()
	const down = "Test IdP sign-in is unavailable right now"
	var p page
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if p = b.get("/login"); strings.Contains(p.body, down) {
			break
		}
	}
	if p.status != 200 || !strings.Contains(p.body, down) || strings.Contains(p.body, "Continue with Test IdP") {
		t.Fatalf("sign-in page while the provider is down: status %d; want a page saying %q, without the usual button:\n%s",
			p.status, down, p.body)
	}
	if !strings.Contains(p.body, `data-sso="test" disabled>`) {
		t.Fatalf("the unavailable button can still be pressed:\n%s", p.body)
	}
	// The invitation page shows the same button.
	link := s.invite("ann@example.com")
	b.get(link).mustContain(t, down)

	// A form left open from before still posts; the provider is back, the sign-in goes
	// through, and the buttons are usable again.
	s.op.SetDown(false)
	b.sso("/auth/oidc/test/start", "allow").mustContain(t, "There's no account for this login")
	p = b.get("/login")
	if strings.Contains(p.body, down) || !strings.Contains(p.body, "Continue with Test IdP") {
		t.Fatalf("sign-in page after the provider came back still says it is down:\n%s", p.body)
	}
}
