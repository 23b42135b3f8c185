package web_test

import (
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// TestConsoleInvitationWarnsThatANewLinkKillsTheOld: the buttons that send again or make a new
// link say, before anyone presses them, that the link out there stops working.
func TestConsoleInvitationWarnsThatANewLinkKillsTheOld(t *testing.T) {
	s := newSite(t)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	s.invite("ivy@example.com")
	var id string
	if err := s.db.R.QueryRow(`SELECT id FROM invitations`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	p := a.get("/console/acme/invitations/" + id)
	p.mustContain(t, ">Make a new link</button>", "Sending again or making a new link stops the old link from working.")
	if strings.Contains(p.body, "New link to copy") {
		t.Fatal("the button still offers a link to copy, as if the old one lived on")
	}
	// A revoked invitation has neither button, nor the warning.
	if p := a.post("/console/acme/invitations/" + id + "/revoke"); p.status != 303 {
		t.Fatalf("revoke: %d", p.status)
	}
	if p := a.get("/console/acme/invitations/" + id); strings.Contains(p.body, "stops the old link") {
		t.Fatal("a revoked invitation warns about links it can no longer make")
	}
}
