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
