package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnsentImportInvitationsWalksTheImport: sending an import's invitations reads them from
// the import's own index, from where the last chunk ended and in order, with no sort: its
// cost does not grow with the organization's other pending invitations (a whole-organization
// plan made sending 100,000 take minutes).
func TestUnsentImportInvitationsWalksTheImport(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "lobby.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err := db.R.QueryContext(ctx, "EXPLAIN QUERY PLAN "+unsentImportSQL, "imp", 0, "org", 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	got := strings.Join(plan, "; ")
	if !strings.Contains(got, "SEARCH i USING INDEX invitations_import (import_id=? AND rowid>?)") || strings.Contains(got, "TEMP B-TREE") {
		t.Fatalf("plan: %s", got)
	}
}

// TestRenewInvitationsFindsEachByID: renewing a few hundred invitations at once finds each by
// its id, never by walking the organization's pending invitations once per listed one.
func TestRenewInvitationsFindsEachByID(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "lobby.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	args := []any{1, 1, 1}
	for range 400 {
		args = append(args, "id", "hash")
	}
	rows, err := db.R.QueryContext(ctx, "EXPLAIN QUERY PLAN "+renewSQL(400), append(args, "org")...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if got := strings.Join(plan, "; "); !strings.Contains(got, "SCAN u; SEARCH invitations USING INDEX sqlite_autoindex_invitations_1 (id=?)") {
		t.Fatalf("plan: %s", got)
	}
}
