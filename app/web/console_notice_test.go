package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// What an action did shows on the page after it; what went wrong shows as an error that names
// the field. A console address with a notice written by someone else shows no text at all:
// only the session that made a notice can show it.
func TestConsoleNoticesAreTheConsolesOwn(t *testing.T) {
	s := newSite(t)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)

	a.post("/console/acme/teams", "name", "Ops")
	p := a.post("/console/acme/teams", "name", "Ops")
	page := a.get(p.location)
	page.mustContain(t, `<p class="error" role="alert">A team named`)
	if strings.Contains(page.body, `class="notice"`) {
		t.Error("the problem also shows as a notice")
	}
	p = a.post("/console/acme/settings", "name", "Acme")
	a.get(p.location).mustContain(t, `<p class="notice" role="status">Settings saved.</p>`)
	// Only a setting gets the setting's label: a team's name is not the organization's.
	a.post("/console/acme/teams", "name", "Sales")
	p = a.post("/console/acme/teams", "name", "Sales")
	if body := a.get(p.location).body; !strings.Contains(body, `role="alert">A team named`) {
		t.Errorf("a second team Sales: %s", p.location)
	}

	forged := "/console/acme?notice=" + url.QueryEscape("Your session ended: call +1 555 0100 to sign in again.")
	for _, path := range []string{forged, forged + "&alert=1", forged + "&sig=AAAAAAAAAAAAAAAAAAAAAA"} {
		if body := a.get(path).body; strings.Contains(body, "555 0100") {
			t.Errorf("%s shows text someone else wrote", path)
		}
	}
	// Another session, even the same person's, cannot show a notice this one signed.
	b := s.browser()
	b.get("/login")
	b.post("/login", "email", "ada@acme.test", "password", "a long password!")
	if body := b.get(p.location).body; strings.Contains(body, "Settings saved.") {
		t.Error("a notice signed for one session shows in another")
	}
}
