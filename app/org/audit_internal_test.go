package org

import (
	"testing"
)

// TestAuditInvitedMatchesTheMap checks that an invitation's audit details are the bytes the
// map they replaced encoded to.
func TestAuditInvitedMatchesTheMap(t *testing.T) {
	s := &Service{}
	for _, c := range []struct {
		session, imp string
		notify       bool
		teams        []string
	}{
		{"", "", true, []string{}},
		{"sess-1", "", false, []string{"Sales", "R&D <core>"}},
		{"", "imp-9", true, []string{`Ünïcode "quoted"`}},
		{"s", "i", false, nil},
	} {
		a := Actor{Kind: "user", ID: "u1", OrgID: "o1", Session: c.session}
		teams := c.teams
		if teams == nil {
			teams = []string{}
		}
		m := map[string]any{"email": "a&b@x.test", "role": "member", "teams": teams, "notify": c.notify}
		if c.imp != "" {
			m["import"] = c.imp
		}
		want := s.audit(a, "invitation.created", "invitation", "i1", m, 5).Details
		got := auditInvited(a, "i1", invitedDetails{Email: "a&b@x.test", Import: c.imp, Notify: c.notify, Role: "member", Teams: teams}, 5)
		if got.Details != want || got.Action != "invitation.created" || got.TargetID != "i1" || got.ActorID != "u1" {
			t.Errorf("%+v: details %s, want %s", c, got.Details, want)
		}
	}
}
