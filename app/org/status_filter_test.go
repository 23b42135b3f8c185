package org_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/lobby/lobby/app/store"
)

// The status filters of the invitations list (API, exports) and of the console's People list
// agree with each other and with the status both show, before the expire job has run.
func TestInvitationStatusFiltersAgree(t *testing.T) {
	f := newFixture(t)
	swept := f.invite("swept@x.test").Invitation.ID
	f.clock.Add(200 * time.Hour)
	if _, err := f.svc.ExpireDue(f.ctx); err != nil {
		t.Fatal(err)
	}
	due := f.invite("due@x.test").Invitation.ID
	f.clock.Add(100 * time.Hour)
	live := f.invite("live@x.test").Invitation.ID
	f.clock.Add(100 * time.Hour) // due is past its week, live is not; the job has not run

	for _, tc := range []struct {
		status string
		want   []string
	}{
		{"pending", []string{live}},
		{"expired", []string{due, swept}},
	} {
		list, err := f.svc.ListInvitations(f.ctx, f.owner, store.InvitationFilter{Status: tc.status})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, v := range list {
			got = append(got, v.ID)
			if v.Status != tc.status {
				t.Errorf("status=%s lists %s shown as %s", tc.status, v.EmailNorm, v.Status)
			}
		}
		people, err := f.svc.People(f.ctx, f.owner, store.PeopleFilter{Status: tc.status})
		if err != nil {
			t.Fatal(err)
		}
		var inPeople []string
		for _, p := range people {
			inPeople = append(inPeople, p.ID)
			if p.Status != tc.status {
				t.Errorf("People status=%s lists %s shown as %s", tc.status, p.Email, p.Status)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) || fmt.Sprint(inPeople) != fmt.Sprint(tc.want) {
			t.Errorf("status=%s: invitations %v, People %v; want %v", tc.status, got, inPeople, tc.want)
		}
	}
}
