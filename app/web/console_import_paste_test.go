package web_test

import (
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// Rows pasted into the Imports screen, with their header line, are previewed like a file,
// named "pasted text"; an empty paste says what to do instead.
func TestConsoleImportFromPastedRows(t *testing.T) {
	s := newSite(t)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	p := a.post("/console/acme/imports", "text", "email,name\nann@example.com,Ann\nnot-an-address,Bad\nbo@example.com,Bo\n")
	if p.status != 303 || !strings.Contains(p.location, "/console/acme/imports/") {
		t.Fatalf("paste: %d %q %s", p.status, p.location, p.body)
	}
	a.get(p.location).mustContain(t, "pasted text", "2 will invite", "1 invalid email", "Here is what the rows would do. Nothing has been sent yet.")
	if n := s.count(`SELECT count(*) FROM invitations`); n != 0 {
		t.Fatalf("the preview of pasted rows created %d invitations", n)
	}
	p = a.post("/console/acme/imports", "text", "  \n ")
	if p.status != 303 {
		t.Fatalf("empty paste: %d", p.status)
	}
	a.get(p.location).mustContain(t, "Choose a CSV file, or paste the rows with their header line.")
}
