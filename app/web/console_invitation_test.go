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

// TestConsoleJoinRequestShowsWhereItCameFrom: a join request's page says it came from the join
// page, instead of facts that belong to invitations (an inviter, an email never sent, a count
// of sendings), and its history reads as words, before and after the decision.
func TestConsoleJoinRequestShowsWhereItCameFrom(t *testing.T) {
	s := newSite(t)
	path := s.openJoin(approval)
	_, id := s.requestJoin(path, "ana@example.com", "Ana")
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	p := a.get("/console/acme/invitations/" + id)
	p.mustContain(t, "Request to join from ana@example.com", "<dt>Came from</dt><dd>The join page</dd>",
		"Asked to join on the join page</span> by Ana", "Approve", "Decline")
	for _, wrong := range []string{"Invited by", "An API token or the command line", "Not sent", "0 times", "<dt>Email</dt>",
		"<dt>Sent</dt>", ">join.requested</span>"} {
		if strings.Contains(p.body, wrong) {
			t.Errorf("the request's page shows %q", wrong)
		}
	}
	if p := a.post("/console/acme/invitations/" + id + "/approve"); p.status != 303 {
		t.Fatalf("approve: %d", p.status)
	}
	a.get("/console/acme/invitations/"+id).mustContain(t, "Request to join from ana@example.com", "the join page",
		"Request approved</span> by ada")
	_, id2 := s.requestJoin(path, "bo@example.com", "Bo")
	if p := a.post("/console/acme/invitations/" + id2 + "/decline"); p.status != 303 {
		t.Fatalf("decline: %d", p.status)
	}
	if p := a.get("/console/acme/invitations/" + id2); !strings.Contains(p.body, "Request declined</span> by ada") || strings.Contains(p.body, "Invited by") {
		t.Fatalf("declined request's page:\n%s", p.body)
	}
}
