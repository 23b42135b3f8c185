package store

import (
	"strings"
	"testing"
)

// TestUnsentImportInvitationsWalksTheImport: sending an import's invitations reads them from
// the import's own index, from where the last chunk ended and in order, with no sort: its
// cost does not grow with the organization's other pending invitations (a whole-organization
// plan made sending 100,000 take minutes).
func TestUnsentImportInvitationsWalksTheImport(t *testing.T) {
	got := planOf(t, planDB(t), unsentImportSQL, "imp", 0, "org", 0, 500)
	if !strings.Contains(got, "SEARCH i USING INDEX invitations_import (import_id=? AND rowid>?)") || strings.Contains(got, "TEMP B-TREE") {
		t.Fatalf("plan: %s", got)
	}
}

// TestRenewInvitationsFindsEachByID: renewing a few hundred invitations at once finds each by
// its id, never by walking the organization's pending invitations once per listed one.
func TestRenewInvitationsFindsEachByID(t *testing.T) {
	args := []any{1, 1, 1}
	for range 400 {
		args = append(args, "id", "hash")
	}
	got := planOf(t, planDB(t), renewSQL(400), append(args, "org")...)
	if !strings.Contains(got, "SCAN u; SEARCH invitations USING INDEX sqlite_autoindex_invitations_1 (id=?)") {
		t.Fatalf("plan: %s", got)
	}
}
