package web_test

import (
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// TestConsoleExportsWhatThePeoplePageShows: the People page offers its members and its
// invitations as CSV files, with its filters, formula-like cells neutralised.
func TestConsoleExportsWhatThePeoplePageShows(t *testing.T) {
	s := newSite(t)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	s.invite("=cmd@example.com")
	s.invite("bob@example.com")
	a.get("/console/acme?q=bob").mustContain(t, "Download as CSV", `/console/acme/export/members.csv?q=bob`, `/console/acme/export/invitations.csv?q=bob`)
	// A pending filter shows invitations only: only they are offered.
	p := a.get("/console/acme?q=bob&status=pending")
	p.mustContain(t, `/console/acme/export/invitations.csv?q=bob&status=pending`)
	if strings.Contains(p.body, "/export/members.csv") {
		t.Fatal("the members download is offered on a page that shows none")
	}
	inv := a.get("/console/acme/export/invitations.csv?q=bob&status=pending")
	if inv.status != 200 || !strings.Contains(inv.header.Get("Content-Type"), "text/csv") || inv.header.Get("Cache-Control") != "no-store" ||
		!strings.HasPrefix(inv.header.Get("Content-Disposition"), `attachment; filename="acme-invitations-`) {
		t.Fatalf("invitations export: %d %v", inv.status, inv.header)
	}
	if !strings.Contains(inv.body, "bob@example.com") || strings.Contains(inv.body, "cmd@example.com") {
		t.Fatalf("the invitations export ignores the filters:\n%s", inv.body)
	}
	all := a.get("/console/acme/export/invitations.csv")
	if !strings.Contains(all.body, "'=cmd@example.com") {
		t.Fatalf("a formula-like cell was not neutralised:\n%s", all.body)
	}
	mem := a.get("/console/acme/export/members.csv")
	if mem.status != 200 || !strings.Contains(mem.body, "olga@acme.test") || !strings.Contains(mem.body, "ada@acme.test") {
		t.Fatalf("members export: %d\n%s", mem.status, mem.body)
	}
	if p := a.get("/console/acme/export/teams.csv"); p.status != 404 {
		t.Fatalf("unknown export: %d", p.status)
	}
	m := s.signedIn("max@acme.test", org.RoleMember)
	if p := m.get("/console/acme/export/members.csv"); p.status != 403 {
		t.Fatalf("a member exported: %d", p.status)
	}
}
