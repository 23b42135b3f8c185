package web_test

import (
	"fmt"
	"html"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// TestConsoleListsEndWithoutANextLink: a console list whose last page is exactly full offers no
// "Next page" leading to an empty one; one row more, and the link leads to that row.
func TestConsoleListsEndWithoutANextLink(t *testing.T) {
	s := newSite(t)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	// Olga and Ada are members; 48 invitations make the 50 of a full first page. The oldest,
	// Olga, is the one row of the second page once one more is invited.
	emails := make([]string, 48)
	for i := range emails {
		emails[i] = fmt.Sprintf("p%02d@example.com", i)
	}
	if _, err := s.svc.Invite(t.Context(), s.owner, org.InviteRequest{Emails: emails}); err != nil {
		t.Fatal(err)
	}
	if p := a.get("/console/acme"); strings.Contains(p.body, "Next page") {
		t.Fatal("a full last page links to an empty next one")
	}
	s.invite("last@example.com")
	p := a.get("/console/acme")
	i := strings.Index(p.body, `href="/console/acme?`)
	if i < 0 || !strings.Contains(p.body, "Next page") {
		t.Fatal("no link to the second page")
	}
	next := html.UnescapeString(p.body[i+len(`href="`):][:strings.Index(p.body[i+len(`href="`):], `"`)])
	second := a.get(next)
	if second.status != 200 || strings.Contains(second.body, "Next page") || !strings.Contains(second.body, "olga@acme.test") {
		t.Fatalf("second page (%d):\n%s", second.status, second.body)
	}
}
