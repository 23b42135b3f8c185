package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestGroupCommitKeepsEachWriteApart queues writes behind a busy transaction so that they run as
// one group, and checks that each behaves as its own transaction: failures and panics roll back
// only their own changes and reach only their own caller, a caller that gave up is never run,
// and the order is first come, first served.
func TestGroupCommitKeepsEachWriteApart(t *testing.T) {
	ctx := context.Background()
	db := openFile(t)
	insert := func(q Q, k string) error {
		_, err := q.ExecContext(ctx, `INSERT INTO t (k) VALUES (?)`, k)
		return err
	}

	started, release := make(chan struct{}), make(chan struct{})
	busy := make(chan error, 1)
	go func() {
		busy <- db.Tx(ctx, func(q Q) error {
			close(started)
			<-release
			return insert(q, "first")
		})
	}()
	<-started

	var mu sync.Mutex
	var order []int
	boom := errors.New("refused")
	gaveUp, cancel := context.WithCancel(ctx)
	type outcome struct {
		err      error
		panicked any
	}
	const n = 8
	results := make([]outcome, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		c := ctx
		if i == 5 {
			c = gaveUp
		}
		go func() {
			defer wg.Done()
			defer func() { results[i].panicked = recover() }()
			results[i].err = db.Tx(c, func(q Q) error {
				mu.Lock()
				order = append(order, i)
				mu.Unlock()
				switch i {
				case 2: // writes "dup" and then fails: the next write inserts "dup" again
					if err := insert(q, "dup"); err != nil {
						return err
					}
					return boom
				case 3:
					return insert(q, "dup")
				case 4:
					if err := insert(q, "w4"); err != nil {
						return err
					}
					panic("write 4 broke")
				}
				return insert(q, fmt.Sprintf("w%d", i))
			})
		}()
		waitQueued(t, db, i+1)
	}
	cancel() // write 5 gives up while it waits
	waitQueued(t, db, n-1)
	close(release)
	wg.Wait()
	if err := <-busy; err != nil {
		t.Fatalf("the busy transaction: %v", err)
	}

	for i, r := range results {
		switch {
		case i == 2 && !errors.Is(r.err, boom):
			t.Errorf("write 2 returned %v, want its own error", r.err)
		case i == 4 && (r.panicked == nil || !strings.Contains(fmt.Sprint(r.panicked), "write 4 broke")):
			t.Errorf("write 4's caller saw panic %v, want its own", r.panicked)
		case i == 5 && !errors.Is(r.err, context.Canceled):
			t.Errorf("write 5 returned %v, want context.Canceled", r.err)
		case i != 2 && i != 4 && i != 5 && (r.err != nil || r.panicked != nil):
			t.Errorf("write %d failed: %v %v", i, r.err, r.panicked)
		}
	}
	if fmt.Sprint(order) != "[0 1 2 3 4 6 7]" {
		t.Errorf("writes ran in the order %v, want the order they asked in without the one that gave up", order)
	}
	var keys []string
	rows, err := db.R.QueryContext(ctx, `SELECT k FROM t ORDER BY k`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	if got := strings.Join(keys, " "); got != "dup first w0 w1 w6 w7" {
		t.Errorf("committed rows %q, want %q", got, "dup first w0 w1 w6 w7")
	}
}

// A long write (TxAlone) never shares a transaction: the write queued before it is committed,
// and visible to readers, by the time the long one runs.
func TestTxAloneRunsInItsOwnTransaction(t *testing.T) {
	ctx := context.Background()
	db := openFile(t)
	exec := func(q Q, s string) error {
		_, err := q.ExecContext(ctx, s)
		return err
	}
	started, release := make(chan struct{}), make(chan struct{})
	errs := make(chan error, 4)
	go func() {
		errs <- db.Tx(ctx, func(q Q) error {
			close(started)
			<-release
			return exec(q, `INSERT INTO t VALUES ('busy')`)
		})
	}()
	<-started
	var seen int
	go func() { errs <- db.Tx(ctx, func(q Q) error { return exec(q, `INSERT INTO t VALUES ('short')`) }) }()
	waitQueued(t, db, 1)
	go func() {
		errs <- db.TxAlone(ctx, func(q Q) error {
			if err := db.R.QueryRowContext(ctx, `SELECT count(*) FROM t WHERE k = 'short'`).Scan(&seen); err != nil {
				return err
			}
			return exec(q, `INSERT INTO t VALUES ('long')`)
		})
	}()
	waitQueued(t, db, 2)
	go func() { errs <- db.Tx(ctx, func(q Q) error { return exec(q, `INSERT INTO t VALUES ('after')`) }) }()
	waitQueued(t, db, 3)
	close(release)
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if seen != 1 {
		t.Error("the long write ran before the short write queued ahead of it was committed")
	}
}

// Many writers at once, a third of them failing after they wrote: exactly the rows of the
// writes that succeeded are there, and each caller heard its own outcome.
func TestGroupCommitUnderLoad(t *testing.T) {
	ctx := context.Background()
	db := openFile(t)
	refused := errors.New("refused")
	const writers, each = 32, 60
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := map[string]bool{}
	for g := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				k := fmt.Sprintf("%d-%d", g, i)
				fail := (g+i)%3 == 0
				err := db.Tx(ctx, func(q Q) error {
					if _, err := q.ExecContext(ctx, `INSERT INTO t (k) VALUES (?)`, k); err != nil {
						return err
					}
					if fail {
						return refused
					}
					return nil
				})
				switch {
				case fail && !errors.Is(err, refused):
					t.Errorf("write %s returned %v, want its own refusal", k, err)
				case !fail && err != nil:
					t.Errorf("write %s: %v", k, err)
				case !fail:
					mu.Lock()
					ok[k] = true
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	rows, err := db.R.QueryContext(ctx, `SELECT k FROM t`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		if !ok[k] {
			t.Errorf("row %s is there, but its write failed", k)
		}
		n++
	}
	if n != len(ok) {
		t.Errorf("%d rows for %d successful writes", n, len(ok))
	}
}

// openFile opens a new database file, without migrations, with one table t (k TEXT PRIMARY
// KEY); it is closed when the test ends.
func openFile(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if _, err := db.W.ExecContext(ctx, `CREATE TABLE t (k TEXT PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	return db
}

// waitQueued waits until n writes wait for the writer.
func waitQueued(t *testing.T, db *DB, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := db.QueuedWrites()
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d writes wait, want %d", got, n)
		}
		time.Sleep(time.Millisecond)
	}
}

// A function that leaves a result open, panics in the middle of reading one, or ends its
// goroutine must not keep the writer from everyone else.
func TestWriterSurvivesCarelessFunctions(t *testing.T) {
	ctx := context.Background()
	db := openFile(t)
	insert := func(k string) error {
		return db.Tx(ctx, func(q Q) error {
			_, err := q.ExecContext(ctx, `INSERT INTO t (k) VALUES (?)`, k)
			return err
		})
	}
	for _, k := range []string{"a", "b", "c"} {
		if err := insert(k); err != nil {
			t.Fatal(err)
		}
	}
	within := func(what string, f func()) {
		t.Helper()
		done := make(chan struct{})
		go func() { defer close(done); f() }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: the writer is stuck", what)
		}
	}
	within("a result left open", func() {
		if err := db.Tx(ctx, func(q Q) error {
			_, err := q.QueryContext(ctx, `SELECT k FROM t`)
			return err
		}); err != nil {
			t.Error(err)
		}
	})
	within("a panic while reading", func() {
		defer func() {
			if r := recover(); fmt.Sprint(r) != "half-way" {
				t.Errorf("the caller saw panic %v", r)
			}
		}()
		_ = db.Tx(ctx, func(q Q) error {
			rows, err := q.QueryContext(ctx, `SELECT k FROM t`)
			if err != nil {
				return err
			}
			rows.Next()
			panic("half-way")
		})
	})
	within("a function that ends its goroutine", func() {
		done := make(chan struct{})
		go func() {
			defer close(done)
			_ = db.Tx(ctx, func(q Q) error {
				if _, err := q.ExecContext(ctx, `INSERT INTO t (k) VALUES ('gone')`); err != nil {
					return err
				}
				runtime.Goexit()
				return nil
			})
		}()
		<-done
	})
	within("the next write", func() {
		if err := insert("d"); err != nil {
			t.Error(err)
		}
	})
	var n int
	if err := db.R.QueryRowContext(ctx, `SELECT count(*) FROM t WHERE k IN ('d', 'gone')`).Scan(&n); err != nil || n != 1 {
		t.Errorf("rows d and gone: %d (%v), want only d", n, err)
	}
}
