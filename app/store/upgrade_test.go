package store_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/lobby/lobby/app/store"
)

// TestUpgradeADatabaseAnEarlierReleaseWrote migrates a database written by a real earlier
// release and checks what an admin upgrading Lobby relies on: every row is kept, the schema
// ends up as a new database's (no migration was edited after its release), every token has an
// expiry, and the search index and SCIM marks cover the old rows.
//
// testdata/upgrade/release-2026-11-23-v9.db.gz was written by the first release (commit
// 2092e61, schema version 9) through its CLI, API, console and SCIM: two organizations, an
// owner each, API and SCIM tokens, teams, a custom role, invitations pending, accepted,
// revoked and expired, a CSV import, a join request, SCIM users and a group, queued mail.
func TestUpgradeADatabaseAnEarlierReleaseWrote(t *testing.T) {
	ctx := context.Background()
	path := gunzip(t, "testdata/upgrade/release-2026-11-23-v9.db.gz")
	var log bytes.Buffer
	db, err := store.Open(ctx, path, store.Options{Logger: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, err := db.Version(ctx); err != nil || v != 9 {
		t.Fatalf("the old database is at version %d: %v", v, err)
	}
	before := rowCounts(t, db)
	n, err := db.Migrate(ctx)
	if err != nil {
		t.Fatalf("migrating the old database: %v", err)
	}
	if n == 0 {
		t.Fatal("no migration was applied")
	}
	// The admin sees what happened to their database in the log.
	if want := fmt.Sprintf(`msg="Upgraded the database." from_version=9 to_version=%d migrations=%d`, 9+n, n); !bytes.Contains(log.Bytes(), []byte(want)) {
		t.Errorf("the log does not say %s:\n%s", want, log.String())
	}
	after := rowCounts(t, db)
	for table, rows := range before {
		if after[table] != rows {
			t.Errorf("table %s had %d rows before the upgrade and %d after", table, rows, after[table])
		}
	}

	fresh, err := store.Open(ctx, filepath.Join(t.TempDir(), "fresh.db"), store.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if _, err := fresh.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	old, want := schema(t, db), schema(t, fresh)
	for _, s := range want {
		if !slices.Contains(old, s) {
			t.Errorf("a new database has, the upgraded one has not:\n%s", s)
		}
	}
	for _, s := range old {
		if !slices.Contains(want, s) {
			t.Errorf("the upgraded database has, a new one has not:\n%s", s)
		}
	}

	for what, query := range map[string]string{
		"tokens without an expiry":                        `SELECT count(*) FROM api_tokens WHERE expires_at IS NULL`,
		"members and invitations missing from the search": `SELECT (SELECT count(*) FROM memberships) + (SELECT count(*) FROM invitations) - (SELECT count(*) FROM people_search)`,
		"SCIM accounts not marked as made by SCIM":        `SELECT 2 - count(*) FROM memberships WHERE source = 'scim' AND made_account = 1`,
	} {
		var got int
		if err := db.R.QueryRowContext(ctx, query).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != 0 {
			t.Errorf("%s: %d", what, got)
		}
	}
	var check string
	if err := db.R.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity check: %s %v", check, err)
	}
}

// A migration that fails leaves the database at the last whole step and says so in the log
// as an error, not as an upgrade.
func TestFailedUpgradeSaysWhereItStopped(t *testing.T) {
	ctx := context.Background()
	var log bytes.Buffer
	path := gunzip(t, "testdata/upgrade/release-2026-11-23-v9.db.gz")
	db, err := store.Open(ctx, path, store.Options{Logger: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Migration 14 creates memberships_user: an index of that name already there makes it fail.
	if _, err := db.W.ExecContext(ctx, `CREATE INDEX memberships_user ON memberships(role_id)`); err != nil {
		t.Fatal(err)
	}
	n, err := db.Migrate(ctx)
	if err == nil || n != 4 {
		t.Fatalf("applied %d: %v", n, err)
	}
	if v, _ := db.Version(ctx); v != 13 {
		t.Fatalf("the database is at version %d, want 13", v)
	}
	if !bytes.Contains(log.Bytes(), []byte(`level=ERROR msg="The database upgrade stopped part-way; the steps before it are kept." from_version=9 at_version=13 migrations=4`)) ||
		bytes.Contains(log.Bytes(), []byte("Upgraded the database.")) {
		t.Fatalf("the log:\n%s", log.String())
	}
}

// gunzip writes the gzipped file at src into a temporary folder and returns its path.
func gunzip(t *testing.T, src string) string {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "lobby.db")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, z); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// rowCounts counts the rows of every table but SQLite's own and the search index's parts.
func rowCounts(t *testing.T, db *store.DB) map[string]int {
	t.Helper()
	tables := texts(t, db, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'
 AND name NOT LIKE 'people_search_%' AND name != 'schema_migrations' ORDER BY name`)
	out := map[string]int{}
	for _, name := range tables {
		var n int
		if err := db.R.QueryRowContext(context.Background(), fmt.Sprintf(`SELECT count(*) FROM "%s"`, name)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[name] = n
	}
	return out
}

// schema lists the database's tables, indexes and triggers as SQLite keeps them.
func schema(t *testing.T, db *store.DB) []string {
	t.Helper()
	return texts(t, db, `SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_schema
 WHERE name NOT LIKE 'sqlite_stat%' ORDER BY name`)
}

// texts reads a query's one text column.
func texts(t *testing.T, db *store.DB, query string) []string {
	t.Helper()
	rows, err := db.R.QueryContext(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}
