package web_test

import (
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// TestConsoleRolesTeamsSettingsWording: the Roles, Teams and Settings screens use the words
// an admin expects: Can and Built-in for roles, a visible label for a new team and "This
// console" for teams made here, a link to the terms, API and SCIM for token kinds, and a real
// button to revoke a token.
func TestConsoleRolesTeamsSettingsWording(t *testing.T) {
	s := newSite(t)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)

	roles := a.get("/console/acme/roles")
	roles.mustContain(t, `<th scope="col">Can</th>`)
	if text := roles.text(); !strings.Contains(text, "Owner Built-in") || strings.Contains(text, "built in") {
		t.Fatalf("the roles read:\n%s", text)
	}

	teams := a.get("/console/acme/teams")
	teams.mustContain(t, `<label for="name">New team</label>`)
	a.post("/console/acme/teams", "name", "Sales")
	if text := a.get("/console/acme/teams").text(); !strings.Contains(text, "Sales 0 This console") {
		t.Fatalf("the teams read:\n%s", text)
	}

	a.get("/console/acme/settings").mustContain(t, `<label for="terms_url">Link to your terms (optional)</label>`)
	p := a.post("/console/acme/tokens", "name", "HR", "kind", "api")
	if text := p.text(); !strings.Contains(text, "Your new API token.") {
		t.Fatalf("the new token reads:\n%s", text)
	}
	a.post("/console/acme/tokens", "name", "Entra", "kind", "scim")
	settings := a.get("/console/acme/settings")
	if text := settings.text(); !strings.Contains(text, "HR API") || !strings.Contains(text, "Entra SCIM") {
		t.Fatalf("the tokens read:\n%s", text)
	}
	settings.mustContain(t, `<button class="danger small-button">Revoke</button>`)
	if strings.Contains(settings.body, `<button class="link">Revoke</button>`) {
		t.Fatal("revoking a token is still a bare link")
	}
}
