package engine

import (
	"bufio"
	"context"
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

// The tests of walbuf.c that need a process of their own: one killed, one under a file size
// limit. Each runs this test binary again with an environment variable that makes the test
// act as the child (TestMain then skips go-libsql).

// child returns this test binary, to run only test as a child with env set to path; it is
// killed if the test is still running two minutes on.
func child(t *testing.T, test, env, path string) *exec.Cmd {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^"+test+"$")
	cmd.Env = append(os.Environ(), env+"="+path)
	return cmd
}

// What COMMIT reported written is in the file even if the process dies right after: the
// gathered frames are never left in the process's memory past the commit.
func TestCommitsSurviveAKillRightAfter(t *testing.T) {
	if path := os.Getenv("LOBBY_WALBUF_CHILD"); path != "" {
		commitForever(path)
		return
	}
	path := filepath.Join(t.TempDir(), "k.db")
	cmd := child(t, "TestCommitsSurviveAKillRightAfter", "LOBBY_WALBUF_CHILD", path)
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
	out, err := child(t, "TestAFailedLogWriteFailsTheCommitAndTheNextOneWorks", "LOBBY_WALBUF_FULL", path).CombinedOutput()
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
	for _, q := range append(walSetup, "CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB)",
		"INSERT INTO t (id, data) VALUES (1, x'01')") {
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
	for _, q := range append(walSetup, "CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB)") {
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
