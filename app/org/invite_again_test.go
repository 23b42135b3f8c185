package org_test

import (
	"slices"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// Inviting an address again answers with its pending invitation as it stands, teams included.
func TestInviteAgainAnswersWithTheTeams(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.CreateTeam(f.ctx, f.owner, "Sales"); err != nil {
		t.Fatal(err)
	}
	req := org.InviteRequest{Emails: []string{"ann@x.test"}, Teams: []string{"Sales"}}
	if _, err := f.svc.Invite(f.ctx, f.owner, req); err != nil {
		t.Fatal(err)
	}
	again, err := f.svc.Invite(f.ctx, f.owner, org.InviteRequest{Emails: []string{"ann@x.test"}})
	if err != nil || len(again.Created) != 1 {
		t.Fatalf("%+v, %v", again, err)
	}
	if c := again.Created[0]; !c.Existing || !slices.Equal(c.Teams, []string{"Sales"}) {
		t.Fatalf("the existing invitation came back as %+v", c)
	}
}
