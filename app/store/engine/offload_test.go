package engine

import (
	"database/sql/driver"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// A checkpoint run off Go's processors still copies the log into the database file, and says
// how long the log is and how much of it is copied, as the pragma does.
func TestCheckpointCopiesTheLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	c, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	exec := func(q string) {
		t.Helper()
		if _, err := c.ExecContext(t.Context(), q, nil); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec("PRAGMA journal_mode = WAL")
	exec("PRAGMA wal_autocheckpoint = 0")
	exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
	exec("INSERT INTO t (v) SELECT printf('%0500d', value) FROM generate_series(1, 2000)")
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	// A connection that has not read anything yet, as the checkpointer's may be.
	fresh, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	log, copied, err := fresh.Checkpoint()
	if err != nil {
		t.Fatal(err)
	}
	if log < 100 || copied != log {
		t.Fatalf("checkpoint: log %d pages, copied %d; want the whole log (over 100 pages) copied", log, copied)
	}
	after, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if after.Size() < before.Size()+int64(copied-10)*4096 {
		t.Fatalf("the database file grew from %d to %d bytes; the %d pages copied did not reach it", before.Size(), after.Size(), copied)
	}
	c.Close()
	if _, _, err := c.Checkpoint(); err != driver.ErrBadConn {
		t.Fatalf("checkpoint on a closed connection: %v, want driver.ErrBadConn", err)
	}
}

func TestSyncFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("kept"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := SyncFile(path); err != nil {
		t.Fatalf("sync of a file: %v", err)
	}
	missing := filepath.Join(t.TempDir(), "gone")
	if err := SyncFile(missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Fatalf("sync of a missing file: %v, want an error naming it", err)
	}
}

// The goroutine waiting for offloaded work is parked, not in a system call: it holds no
// processor, so with one processor other goroutines still run meanwhile.
func TestOffloadedWorkLeavesTheProcessorFree(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	done := make(chan struct{})
	go func() {
		defer close(done)
		sleepOffloaded(300 * time.Millisecond)
	}()
	deadline := time.Now().Add(250 * time.Millisecond)
	state := ""
	// It passes through other states on its way (making a pipe, starting the thread): look
	// until it is parked or the job is nearly over.
	for time.Now().Before(deadline) {
		if state = stateOf("engine.sleepOffloaded"); state == "IO wait" {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if state != "IO wait" {
		t.Errorf("the goroutine waiting for offloaded work is %q; want %q (parked, holding no processor)", state, "IO wait")
	}
	<-done
}

// stateOf is the scheduling state ("IO wait", "syscall", …) of the goroutine whose stack holds
// fn, or "" if none does.
func stateOf(fn string) string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	for _, g := range strings.Split(string(buf), "\n\n") {
		if !strings.Contains(g, fn+"(") {
			continue
		}
		head, _, _ := strings.Cut(g, "\n")
		_, s, ok := strings.Cut(head, "[")
		if !ok {
			return "?"
		}
		s, _, _ = strings.Cut(s, "]")
		s, _, _ = strings.Cut(s, ",")
		return s
	}
	return ""
}
