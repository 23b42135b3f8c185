package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/app/store/engine"
	"github.com/lobby/lobby/app/store/storetest"
)

func TestOpenMigrateAndReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "lobby.db")
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n, err := db.Migrate(ctx)
	if err != nil || n == 0 {
		t.Fatalf("first migrate applied %d: %v", n, err)
	}
	n, err = db.Migrate(ctx)
	if err != nil || n != 0 {
		t.Fatalf("second migrate applied %d: %v", n, err)
	}
	var fk int
	if err := db.R.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign_keys = %d, %v", fk, err)
	}
	var mode string
	if err := db.R.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v", mode, err)
	}
	db.Close()
}

func TestMigrateRefusesNewerDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "lobby.db")
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.W.ExecContext(ctx, "INSERT INTO schema_migrations VALUES (9999, 'future', 0)"); err != nil {
		t.Fatal(err)
	}
	_, err = db.Migrate(ctx)
	var tooNew store.ErrTooNew
	if !errors.As(err, &tooNew) || tooNew.Database != 9999 || !strings.Contains(err.Error(), "newer Lobby") {
		t.Fatalf("got %v", err)
	}
}

func TestOpenReadOnlyFileSaysSo(t *testing.T) {
	if os.Geteuid() == 0 {
		// root ignores file modes, so make the folder a file instead: the path cannot be created.
		dir := t.TempDir()
		blocker := filepath.Join(dir, "blocker")
		if err := os.WriteFile(blocker, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := store.Open(context.Background(), filepath.Join(blocker, "lobby.db"), store.Options{})
		if err == nil || !strings.Contains(err.Error(), "database folder") {
			t.Fatalf("got %v", err)
		}
		return
	}
	path := filepath.Join(t.TempDir(), "lobby.db")
	if err := os.WriteFile(path, nil, 0o400); err != nil {
		t.Fatal(err)
	}
	_, err := store.Open(context.Background(), path, store.Options{})
	if err == nil || !strings.Contains(err.Error(), "cannot be opened for writing") {
		t.Fatalf("got %v", err)
	}
}

func TestTxRollsBackOnError(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "lobby.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err = db.Tx(ctx, func(q store.Q) error {
		if _, err := q.ExecContext(ctx, "INSERT INTO job_leases VALUES ('x', 'me', 1)"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	var n int
	_ = db.R.QueryRowContext(ctx, "SELECT count(*) FROM job_leases").Scan(&n)
	if n != 0 {
		t.Fatalf("rolled back transaction left %d rows", n)
	}
}

func TestConcurrentWritersDoNotFail(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "lobby.db")
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	// A second handle on the same file stands for a second Lobby process.
	other, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 400)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			h := db
			if g%2 == 1 {
				h = other
			}
			for i := 0; i < 50; i++ {
				errs <- h.Tx(ctx, func(q store.Q) error {
					_, err := q.ExecContext(ctx, "INSERT INTO throttle VALUES (?, 1, 0)", store.NewID())
					return err
				})
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var n int
	_ = db.R.QueryRowContext(ctx, "SELECT count(*) FROM throttle").Scan(&n)
	if n != 400 {
		t.Fatalf("got %d rows, want 400", n)
	}
}

// Text that looks like a date comes back exactly as typed: the driver would reformat it.
func TestDateLikeNamesSurvive(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "lobby.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	u := store.User{ID: store.NewID(), Email: "d@x.co", EmailNorm: "d@x.co", Name: "2024-01-02", CreatedAt: 1}
	if err := db.Tx(ctx, func(q store.Q) error { return store.CreateUser(ctx, q, u) }); err != nil {
		t.Fatal(err)
	}
	got, err := store.GetUser(ctx, db.R, u.ID)
	if err != nil || got.Name != "2024-01-02" {
		t.Fatalf("name came back as %q (%v)", got.Name, err)
	}
}

// Both pools of a local database call libSQL's engine directly (package engine).
func TestLocalPoolsUseTheEngine(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	for name, pool := range map[string]*sql.DB{"reader": db.R, "writer": db.W} {
		c, err := pool.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		_ = c.Raw(func(dc any) error {
			if _, ok := dc.(*engine.Conn); !ok {
				t.Errorf("the %s pool's connection is a %T, not an *engine.Conn", name, dc)
			}
			return nil
		})
		c.Close()
	}
}

// A process that opened a local database refuses to open a remote one, with a sentence, instead
// of go-libsql stopping the process: go-libsql cannot start after package engine started.
func TestRemoteAfterLocalIsRefused(t *testing.T) {
	storetest.Open(t)
	if !engine.Started() {
		t.Fatal("opening a local database did not start the engine")
	}
	_, err := store.Open(context.Background(), "libsql://lobby.invalid", store.Options{BusyTimeout: time.Second, Readers: 1})
	if err == nil || !strings.Contains(err.Error(), "use one process per database") {
		t.Fatalf("opening a remote database after a local one: %v", err)
	}
}

// TestLocalConnectionsReadWithoutAMap checks that no connection of a local file maps it into
// memory (where an I/O error would end the process), and that readers see every committed
// change while the file grows and the checkpointer copies the log into it.
func TestLocalConnectionsReadWithoutAMap(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	for name, pool := range map[string]*sql.DB{"reader": db.R, "writer": db.W} {
		var size int64
		if err := pool.QueryRowContext(ctx, `PRAGMA mmap_size`).Scan(&size); err != nil || size != 0 {
			t.Errorf("the %s pool maps %d bytes of the file (%v), want none", name, size, err)
		}
	}
	if _, err := db.W.ExecContext(ctx, `CREATE TABLE blobs (k INTEGER PRIMARY KEY, v BLOB)`); err != nil {
		t.Fatal(err)
	}
	for round := range 20 {
		err := db.Tx(ctx, func(q store.Q) error {
			for i := range 100 {
				k := round*100 + i
				if _, err := q.ExecContext(ctx, `INSERT INTO blobs (k, v) VALUES (?, ?)`, k, bytes.Repeat([]byte{byte(k)}, 4000)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var n, sum int64
		if err := db.R.QueryRowContext(ctx, `SELECT count(*), sum(length(v)) FROM blobs`).Scan(&n, &sum); err != nil {
			t.Fatal(err)
		}
		if n != int64(round+1)*100 || sum != n*4000 {
			t.Fatalf("after round %d a reader sees %d rows and %d bytes", round, n, sum)
		}
	}
	var v []byte
	if err := db.R.QueryRowContext(ctx, `SELECT v FROM blobs WHERE k = 1234`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(v, bytes.Repeat([]byte{byte(1234 % 256)}, 4000)) {
		t.Fatalf("row 1234 reads back wrong")
	}
}

// TestMigrationGivesOldTokensAnExpiry: migration 11 gives tokens made before it an expiry a
// year after they were made, and never less than 90 days after the upgrade.
func TestMigrationGivesOldTokensAnExpiry(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	now := time.Now().UnixMilli()
	const day = int64(24 * time.Hour / time.Millisecond)
	for _, s := range []string{
		// Back to the schema before migration 11 (undoing 11 to 15).
		`DROP INDEX invitations_inviter`,
		`ALTER TABLE organizations DROP COLUMN join_notify`,
		`DROP TABLE expire_untold`,
		`DROP INDEX memberships_user`,
		`DROP INDEX invitation_teams_team`,
		`ALTER TABLE api_tokens DROP COLUMN expires_at`,
		`DROP INDEX invitations_requested_email`,
		`DROP INDEX memberships_active_role`,
		`DELETE FROM schema_migrations WHERE version >= 11`,
		`INSERT INTO organizations (id, slug, name, invite_ttl_ms, created_at) VALUES ('o', 'acme', 'Acme', 1, 1)`,
		fmt.Sprintf(`INSERT INTO api_tokens (id, org_id, kind, name, token_hash, created_at) VALUES
		 ('new', 'o', 'scim', 'new', 'h1', %d), ('old', 'o', 'api', 'old', 'h2', %d)`, now-10*day, now-1000*day),
	} {
		if _, err := db.W.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	if n, err := db.Migrate(ctx); err != nil || n != 7 {
		t.Fatalf("applied %d: %v", n, err)
	}
	for id, want := range map[string]int64{"new": now - 10*day + 365*day, "old": now + 90*day} {
		var got int64
		if err := db.R.QueryRowContext(ctx, `SELECT expires_at FROM api_tokens WHERE id = ?`, id).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got < want-60_000 || got > want+60_000 {
			t.Errorf("token %s expires %s, want about %s", id, time.UnixMilli(got).UTC(), time.UnixMilli(want).UTC())
		}
	}
}

// TestMigrationMarksAccountsSCIMMade: migration 10 marks the SCIM memberships that made their
// account (created in the same transaction, so at the same millisecond), and only those: an
// account that existed before SCIM joined it must stay out of the provider's reach.
func TestMigrationMarksAccountsSCIMMade(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	// Back to the schema before migration 10 (undoing 10 to 15), with one membership of each kind.
	for _, s := range []string{
		`DROP INDEX invitations_inviter`,
		`ALTER TABLE organizations DROP COLUMN join_notify`,
		`DROP TABLE expire_untold`,
		`DROP INDEX memberships_user`,
		`DROP INDEX invitation_teams_team`,
		`ALTER TABLE memberships DROP COLUMN made_account`,
		`ALTER TABLE api_tokens DROP COLUMN expires_at`,
		`DROP INDEX invitations_requested_email`,
		`DROP INDEX memberships_active_role`,
		`DELETE FROM schema_migrations WHERE version >= 10`,
		`INSERT INTO organizations (id, slug, name, invite_ttl_ms, created_at) VALUES ('o', 'acme', 'Acme', 1, 1)`,
		`INSERT INTO roles (id, org_id, key, name, created_at) VALUES ('r', 'o', 'member', 'Member', 1)`,
		`INSERT INTO users (id, email, email_norm, created_at) VALUES ('made', 'a@x.test', 'a@x.test', 500), ('joined', 'b@x.test', 'b@x.test', 100), ('admin', 'c@x.test', 'c@x.test', 500)`,
		`INSERT INTO memberships (id, org_id, user_id, role_id, source, joined_at, updated_at) VALUES
		 ('m1', 'o', 'made', 'r', 'scim', 500, 500), ('m2', 'o', 'joined', 'r', 'scim', 500, 500), ('m3', 'o', 'admin', 'r', 'admin', 500, 500)`,
	} {
		if _, err := db.W.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	if n, err := db.Migrate(ctx); err != nil || n != 8 {
		t.Fatalf("applied %d: %v", n, err)
	}
	rows, err := db.R.QueryContext(ctx, `SELECT id FROM memberships WHERE made_account = 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var made []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		made = append(made, id)
	}
	if strings.Join(made, ",") != "m1" {
		t.Fatalf("marked as made by SCIM: %v", made)
	}
}
