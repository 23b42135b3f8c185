package web_test

import (
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// TestBrandingOnInvitationAndDashboard: an organization's logo and accent colour show on its
// invitation page and on the dashboard of someone who is a member of it alone.
func TestBrandingOnInvitationAndDashboard(t *testing.T) {
	s := newSite(t)
	logo, accent := "https://cdn.acme.test/logo.png", "#3b5bdb"
	if _, err := s.svc.UpdateSettings(t.Context(), s.admin, org.SettingsPatch{LogoURL: &logo, AccentColor: &accent}); err != nil {
		t.Fatal(err)
	}
	const img = `<img src="https://cdn.acme.test/logo.png" alt="" class="logo">`
	const style = `<style>:root{--accent: #3b5bdb;}</style>`
	link := s.invite("pat@example.com")
	s.browser().get(link).mustContain(t, img, style, "<span>Acme</span>")
	m := s.signedIn("mo@acme.test", org.RoleMember)
	m.get("/").mustContain(t, img, style, "<span>Acme</span>")

	// Without branding, neither shows.
	none := ""
	if _, err := s.svc.UpdateSettings(t.Context(), s.admin, org.SettingsPatch{LogoURL: &none, AccentColor: &none}); err != nil {
		t.Fatal(err)
	}
	if p := m.get("/"); strings.Contains(p.body, "cdn.acme.test") || strings.Contains(p.body, "--accent") {
		t.Fatal("the dashboard keeps the logo or colour after they were removed")
	}
}
