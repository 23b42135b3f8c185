package store

import (
	"strings"
	"testing"
)

// TestMembersWithPermissionPlan: the admins told of a join request are found through their
// roles, inside the request's write transaction, without walking every active member.
func TestMembersWithPermissionPlan(t *testing.T) {
	text := planOf(t, planDB(t), membersWithPermission, "o", "o", " members:manage ", 5)
	if !strings.Contains(text, "memberships_active_role (org_id=? AND role_id=?)") || strings.Contains(text, "memberships_org_status") {
		t.Fatalf("the plan: %s", text)
	}
}

// TestRemindablePlan: the remind job reads one organization's pending invitations inside its
// reminder window, from where it got to, not every pending invitation of the instance.
func TestRemindablePlan(t *testing.T) {
	text := planOf(t, planDB(t), remindable, "o", 1, 2, 3, 200)
	if !strings.Contains(text, "invitations_org_pending_expiry (org_id=? AND expires_at>? AND expires_at<?)") {
		t.Fatalf("the plan: %s", text)
	}
}

// TestLookupsByPersonAndTeamPlan: a person's memberships and a team's invitations are read
// through their own indexes, not by walking every membership or every invitation's teams.
func TestLookupsByPersonAndTeamPlan(t *testing.T) {
	db := planDB(t)
	for query, want := range map[string]string{
		membershipSelect + ` WHERE m.user_id = ? ORDER BY m.joined_at`: "memberships_user (user_id=?)",
		`SELECT count(*) FROM memberships WHERE user_id = ?`:           "memberships_user (user_id=?)",
		`SELECT invitation_id FROM invitation_teams WHERE team_id = ?`: "invitation_teams_team (team_id=?)",
		`UPDATE people_search SET text = 'x' WHERE rowid IN (SELECT k.id FROM people_search_keys k JOIN memberships m ON m.id = k.ref WHERE m.user_id = ?)`: "memberships_user (user_id=?)",
	} {
		if text := planOf(t, db, query, "x"); !strings.Contains(text, want) {
			t.Errorf("%s\nthe plan: %s", query, text)
		}
	}
}

// TestExpiredSincePlan: the notices of a stopped expire run are read from the audit log's
// stretch since the run began, not from the whole log.
func TestExpiredSincePlan(t *testing.T) {
	text := planOf(t, planDB(t), expiredSince, idAt(1))
	if !strings.Contains(text, "SEARCH a USING INDEX sqlite_autoindex_audit_log_1 (id>?)") {
		t.Fatalf("the plan: %s", text)
	}
}

// TestAuditSincePlan: the audit log filtered by date walks only the entries since then.
func TestAuditSincePlan(t *testing.T) {
	tail, args := auditListTail("o", AuditFilter{Action: "team.created", Since: 1_700_000_000_000})
	text := planOf(t, planDB(t), `SELECT id FROM audit_log `+tail, args...)
	if !strings.Contains(text, "audit_org (org_id=? AND id>?)") {
		t.Fatalf("the plan: %s", text)
	}
}

// TestInvitationsByInviterPlan: deleting a member, and saying beforehand what it hands over,
// finds the invitations they sent through the inviter index, not by walking every invitation
// of the organization.
func TestInvitationsByInviterPlan(t *testing.T) {
	db := planDB(t)
	for _, query := range []string{countByInviterSQL, reassignInviterSQL} {
		args := []any{"o", "u"}
		if query == reassignInviterSQL {
			args = []any{"v", "o", "u"}
		}
		if text := planOf(t, db, query, args...); !strings.Contains(text, "invitations_inviter (org_id=? AND invited_by=?)") {
			t.Errorf("%s\nthe plan: %s", query, text)
		}
	}
}
