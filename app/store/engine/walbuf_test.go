package engine

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// openWAL opens a pool of one connection of this package on path in WAL mode, as package
// store does, after running first.
func openWAL(t *testing.T, path string, first ...string) *sql.DB {
	t.Helper()
	db := sql.OpenDB(Connector{Path: path})
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	for _, p := range append(first, "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA wal_autocheckpoint = 0") {
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

// What COMMIT reported written is in the file even if the process dies right after: the
// gathered frames are never left in the process's memory past the commit.
func TestCommitsSurviveAKillRightAfter(t *testing.T) {
	if path := os.Getenv("LOBBY_WALBUF_CHILD"); path != "" {
		commitForever(path)
		return
	}
	path := filepath.Join(t.TempDir(), "k.db")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestCommitsSurviveAKillRightAfter$")
	cmd.Env = append(os.Environ(), "LOBBY_WALBUF_CHILD="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	last := 0
	for last < 300 && lines.Scan() {
		if n, err := strconv.Atoi(lines.Text()); err == nil {
			last = n
		}
	}
	_ = cmd.Process.Kill() // SIGKILL: nothing runs after it in the child
	_ = cmd.Wait()
	if last < 300 {
		t.Fatalf("the child reported %d commits before it stopped", last)
	}
	db := openWAL(t, path)
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil || n < last {
		t.Fatalf("after the kill the file holds %d rows (%v); the child had committed %d", n, err, last)
	}
}

// A commit whose log cannot be written fails, as it does with SQLite's own writes, and so does
// writing the frames of a rolled-back transaction, silently; the connection works again once
// the disk can take writes: the next commit succeeds and the file holds exactly the committed
// rows. A child process runs it, under a file size limit.
func TestAFailedLogWriteFailsTheCommitAndTheNextOneWorks(t *testing.T) {
	if path := os.Getenv("LOBBY_WALBUF_FULL"); path != "" {
		if err := commitPastALimit(path); err != nil {
			fmt.Println("error:", err)
		} else {
			fmt.Println("ok")
		}
		return
	}
	path := filepath.Join(t.TempDir(), "f.db")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestAFailedLogWriteFailsTheCommitAndTheNextOneWorks$")
	cmd.Env = append(os.Environ(), "LOBBY_WALBUF_FULL="+path)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "ok\n") {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

// commitPastALimit commits a row, then under a file size limit a transaction the log has no
// room for (it must fail) and one that spills and is rolled back, then, with the limit lifted,
// another row.
func commitPastALimit(path string) error {
	db := sql.OpenDB(Connector{Path: path})
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range []string{"PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA wal_autocheckpoint = 0",
		"CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB)", "INSERT INTO t (id, data) VALUES (1, x'01')"} {
		if _, err := db.Exec(q); err != nil {
			return err
		}
	}
	st, err := os.Stat(path + "-wal")
	if err != nil {
		return err
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		return err
	}
	signal.Ignore(syscall.SIGXFSZ) // a write past the limit then fails with EFBIG
	small := syscall.Rlimit{Cur: uint64(st.Size()) + 16<<10, Max: lim.Max}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &small); err != nil {
		return err
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	for i := 2; i < 50; i++ { // about 200 KB: past the limit
		if _, err := tx.Exec(`INSERT INTO t (id, data) VALUES (?, ?)`, i, blob(i, 4000)); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err == nil {
		return fmt.Errorf("a commit the log had no room for succeeded")
	}
	_, _ = db.Exec("ROLLBACK") // if the failed COMMIT left the transaction open
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		return err
	}
	// A transaction whose pages spill to the log, rolled back when its last frames cannot be
	// written: SQLite needs them no more, and the next commit must not fail for them.
	for _, q := range []string{"PRAGMA wal_checkpoint(TRUNCATE)", "PRAGMA cache_size = 10"} {
		if _, err := db.Exec(q); err != nil {
			return err
		}
	}
	if tx, err = db.Begin(); err != nil {
		return err
	}
	for i := 200; i < 260; i++ {
		if _, err := tx.Exec(`INSERT INTO t (id, data) VALUES (?, ?)`, i, blob(i, 3000)); err != nil {
			return err
		}
	}
	if st, err = os.Stat(path + "-wal"); err != nil {
		return err
	}
	small.Cur = uint64(st.Size())
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &small); err != nil {
		return err
	}
	if err := tx.Rollback(); err != nil {
		return fmt.Errorf("rolling back: %w", err)
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		return err
	}
	if _, err := db.Exec(`INSERT INTO t (id, data) VALUES (100, x'02')`); err != nil {
		return fmt.Errorf("the next commit after the disk has room again: %w", err)
	}
	other := sql.OpenDB(Connector{Path: path})
	defer other.Close()
	var n, ids int
	var check string
	if err := other.QueryRow(`SELECT count(*), sum(id) FROM t`).Scan(&n, &ids); err != nil {
		return err
	}
	if err := other.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil {
		return err
	}
	if n != 2 || ids != 101 || check != "ok" {
		return fmt.Errorf("the file holds %d rows (ids summing to %d), integrity %q; want rows 1 and 100", n, ids, check)
	}
	return nil
}

// commitForever commits one row at a time into a new file at path and prints how many rows
// are committed after each COMMIT returns, until it is killed.
func commitForever(path string) {
	db := sql.OpenDB(Connector{Path: path})
	db.SetMaxOpenConns(1)
	for _, q := range []string{"PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL",
		"PRAGMA wal_autocheckpoint = 0", "CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB)"} {
		if _, err := db.Exec(q); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
	}
	for i := 1; ; i++ {
		if _, err := db.Exec(`INSERT INTO t (data) VALUES (?)`, blob(i, 2000)); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println(i)
		if i > 300 {
			time.Sleep(time.Millisecond)
		}
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
