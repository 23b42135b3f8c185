package store

import (
	"strings"
	"testing"
)

// TestInvitationListPlans checks that each status filter of ListInvitations walks an index in
// id order and stops at the page, never sorting all of an organization's invitations: a
// filter on pending must not take the seat count's expiry index (which SQLite prefers for
// "expires_at > now"), and expired must not walk every invitation to find the few expired.
func TestInvitationListPlans(t *testing.T) {
	db := planDB(t)
	const now = 1_800_000_000_000
	for _, tc := range []struct {
		name      string
		f         InvitationFilter
		want      []string // in the plan
		forbidden []string
	}{
		{"pending", InvitationFilter{Status: "pending"},
			[]string{"invitations_org_status (org_id=? AND status=?)"}, []string{"TEMP B-TREE", "pending_expiry"}},
		{"pending, later page, searched", InvitationFilter{Status: "pending", Query: "ann", Page: Page{Cursor: "x", Peek: true}},
			[]string{"invitations_org_status (org_id=? AND status=? AND id<?)"}, []string{"TEMP B-TREE", "pending_expiry"}},
		{"pending of an import", InvitationFilter{Status: "pending", ImportID: "x"},
			[]string{"invitations_org_status"}, []string{"TEMP B-TREE"}},
		// The merge of the expired arms sorts at most a page of each, and the arm of the
		// pending ones past their expiry sorts those (a minute's worth, the job sweeps them).
		{"expired", InvitationFilter{Status: "expired"},
			[]string{"invitations_org_status (org_id=? AND status=?)", "invitations_org_pending_expiry (org_id=? AND expires_at<?)"},
			[]string{"invitations_org_id", "SCAN i"}},
		{"expired, later page", InvitationFilter{Status: "expired", Page: Page{Cursor: "x"}},
			[]string{"invitations_org_status (org_id=? AND status=? AND id<?)", "invitations_org_pending_expiry"},
			[]string{"invitations_org_id", "SCAN i"}},
		{"accepted", InvitationFilter{Status: "accepted"},
			[]string{"invitations_org_status (org_id=? AND status=?)"}, []string{"TEMP B-TREE"}},
	} {
		query, args := invitationListQuery("o", tc.f, now, false)
		text := planOf(t, db, query, args...)
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the plan does not use %q: %s", tc.name, w, text)
			}
		}
		for _, f := range tc.forbidden {
			if strings.Contains(text, f) {
				t.Errorf("%s: the plan has %q: %s", tc.name, f, text)
			}
		}
	}
}

// TestSearchPlans: the API's search of invitations and of members looks a rare term up in the
// trigram index, as People does, instead of matching it against every row of the organization.
func TestSearchPlans(t *testing.T) {
	db := planDB(t)
	query, args := invitationListQuery("o", InvitationFilter{Query: "m054321"}, 1, true)
	if text := planOf(t, db, query, args...); !strings.Contains(text, "VIRTUAL TABLE INDEX") || strings.Contains(text, "SCAN i ") {
		t.Errorf("invitations: %s", text)
	}
	cond, condArgs := searchCond("m.id", "u.email_norm", "u.name", "m054321", true)
	text := planOf(t, db, membershipSelect+` WHERE m.org_id = ? AND `+cond+` ORDER BY m.id DESC LIMIT 50`, append([]any{"o"}, condArgs...)...)
	if !strings.Contains(text, "VIRTUAL TABLE INDEX") || strings.Contains(text, "SCAN m ") {
		t.Errorf("members: %s", text)
	}
}

// TestWaitingJoinRequestsPlan: a person's dashboard finds their waiting join requests through
// the small index of requests, never by walking every invitation of the instance.
func TestWaitingJoinRequestsPlan(t *testing.T) {
	text := planOf(t, planDB(t), requestsOfEmail, "ann@example.com")
	if !strings.Contains(text, "invitations_requested_email (email_norm=?)") || strings.Contains(text, "SCAN i") {
		t.Fatalf("the plan: %s", text)
	}
}
