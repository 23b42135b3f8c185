package engine

import (
	"crypto/sha256"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
)

// walSetup is the connection setup of package store that these tests need: WAL, normal sync,
// and no automatic checkpoint (so the log keeps what the tests look at).
var walSetup = []string{"PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA wal_autocheckpoint = 0"}

// openWAL opens a pool of one connection of this package on path in WAL mode, as package
// store does, after running first.
func openWAL(t *testing.T, path string, first ...string) *sql.DB {
	t.Helper()
	db := sql.OpenDB(Connector{Path: path})
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	for _, p := range append(first, walSetup...) {
		if _, err := db.Exec(p); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// A commit's log frames reach the kernel in one write, not two per page, and another
// connection reads the commit as soon as COMMIT returns.
func TestACommitReachesTheLogInOneWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	db := openWAL(t, path)
	if !walbuf {
		t.Fatal("the log-gathering VFS is not registered: connections write the log page by page")
	}
	reader := sql.OpenDB(Connector{Path: path})
	defer reader.Close()
	if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB)`); err != nil {
		t.Fatal(err)
	}
	for round := range 5 {
		made0, kernel0 := logWrites()
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		for i := range 20 { // 20 rows of 3,000 bytes: about 20 pages
			if _, err := tx.Exec(`INSERT INTO t (data) VALUES (?)`, blob(round*100+i, 3000)); err != nil {
				t.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		made, kernel := logWrites()
		var n int
		if err := reader.QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil || n != 20*(round+1) {
			t.Fatalf("round %d: another connection counts %d rows (%v), want %d", round, n, err, 20*(round+1))
		}
		// Other tests of the package may write logs meanwhile; this one's 40 writes or more
		// must not each be a call to the kernel.
		if made-made0 < 40 || kernel-kernel0 > (made-made0)/10 {
			t.Fatalf("round %d: SQLite made %d log writes, the kernel got %d", round, made-made0, kernel-kernel0)
		}
	}
}

// A transaction five times larger than the buffer, through a page cache of 50 pages (SQLite
// then writes frames before the commit, and rewrites some in place when it changes their
// pages again), reads back byte for byte from another connection; one rolled back after
// spilling leaves nothing.
func TestLargeTransactionsReadBackExactly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	db := openWAL(t, path)
	for _, q := range []string{"PRAGMA cache_size = 50", "CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB)"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	want := map[int][]byte{}
	write := func(first, n int, commit bool) {
		t.Helper()
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		wrote := map[int][]byte{}
		for i := first; i < first+n; i++ {
			wrote[i] = blob(i, 5000)
			if _, err := tx.Exec(`INSERT INTO t (id, data) VALUES (?, ?)`, i, wrote[i]); err != nil {
				t.Fatal(err)
			}
			if old := i - 300; old >= first && i%7 == 0 { // a row whose page was spilled
				wrote[old] = blob(i+1_000_000, 5000)
				if _, err := tx.Exec(`UPDATE t SET data = ? WHERE id = ?`, wrote[old], old); err != nil {
					t.Fatal(err)
				}
			}
		}
		if !commit {
			if err := tx.Rollback(); err != nil {
				t.Fatal(err)
			}
			return
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		for id, b := range wrote {
			want[id] = b
		}
	}
	write(1, 1000, true)     // about 5 MB
	write(5001, 1000, false) // spilled, then rolled back
	write(1001, 10, true)
	readBack(t, path, want)
}

// A transaction that spilled pages to the log and changed them again makes SQLite rewrite
// the checksums of its frames at COMMIT, ending with the commit frame's header and no page
// after it. That header is in the file when COMMIT returns: a copy of the files taken then,
// as a crash would leave them, holds the whole transaction. Also in exclusive locking mode,
// where SQLite keeps the log's index in its own memory and uses no shared memory at all.
func TestRewrittenChecksumsAreInTheFileWhenCommitReturns(t *testing.T) {
	for _, mode := range []string{"NORMAL", "EXCLUSIVE"} {
		path := filepath.Join(t.TempDir(), "c.db")
		db := openWAL(t, path, "PRAGMA locking_mode = "+mode)
		for _, q := range []string{"PRAGMA cache_size = 20", "CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB)"} {
			if _, err := db.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		want := map[int][]byte{}
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= 200; i++ {
			want[i] = blob(i, 3000)
			if _, err := tx.Exec(`INSERT INTO t (id, data) VALUES (?, ?)`, i, want[i]); err != nil {
				t.Fatal(err)
			}
			if i > 100 && i%7 == 0 { // a row written long ago in this transaction: its page spilled
				want[i-100] = blob(i+5000, 3000)
				if _, err := tx.Exec(`UPDATE t SET data = ? WHERE id = ?`, want[i-100], i-100); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		snap := filepath.Join(t.TempDir(), "copy.db")
		for _, suffix := range []string{"", "-wal"} {
			b, err := os.ReadFile(path + suffix)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(snap+suffix, b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("locking mode %s", mode)
		readBack(t, snap, want)
	}
}

// Frames a rolled-back transaction spilled to the log are never written out later, over the
// frames another connection committed at the same place meanwhile.
func TestARolledBackTransactionNeverOverwritesAnotherCommit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.db")
	a := openWAL(t, path)
	for _, q := range []string{"CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB)", "PRAGMA cache_size = 10",
		"PRAGMA wal_checkpoint(TRUNCATE)"} {
		if _, err := a.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	tx, err := a.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 60 { // 180 KB through a cache of 10 pages: frames reach the log
		if _, err := tx.Exec(`INSERT INTO t (data) VALUES (?)`, blob(i, 3000)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	b := openWAL(t, path) // another writer: another process, or a tool, on the same file
	want := map[int][]byte{}
	for i := 1; i <= 30; i++ {
		want[i] = blob(1000+i, 3000)
		if _, err := b.Exec(`INSERT INTO t (id, data) VALUES (?, ?)`, i, want[i]); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := a.QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil || n != 30 {
		t.Fatalf("the first connection counts %d rows (%v), want 30", n, err)
	}
	readBack(t, path, want)
}

// readBack checks through a new connection that the file at path passes SQLite's integrity
// check and that table t holds exactly want.
func readBack(t *testing.T, path string, want map[int][]byte) {
	t.Helper()
	db := sql.OpenDB(Connector{Path: path})
	defer db.Close()
	var check string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity check: %q, %v", check, err)
	}
	rows, err := db.Query(`SELECT id, data FROM t`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := 0
	for rows.Next() {
		var id int
		var data []byte
		if err := rows.Scan(&id, &data); err != nil {
			t.Fatal(err)
		}
		if w, ok := want[id]; !ok || sha256.Sum256(w) != sha256.Sum256(data) {
			t.Fatalf("row %d reads back other bytes than were written (known %v)", id, ok)
		}
		got++
	}
	if err := rows.Err(); err != nil || got != len(want) {
		t.Fatalf("read %d rows (%v), want %d", got, err, len(want))
	}
}

// blob returns n bytes that depend on seed.
func blob(seed, n int) []byte {
	b := make([]byte, n)
	x := uint32(seed)*2654435761 + 1
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}
