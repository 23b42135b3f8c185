package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// While a large change asks for it, writes are followed by a request to write the database
// file out, a pass at most every writebackEvery; it rests while nothing is written, and does
// nothing for writes when nobody asks.
func TestWritebackFollowsWritesAndRestsWhenIdle(t *testing.T) {
	if !canWriteBack {
		t.Skip("this system cannot start writing a file out without waiting; Lobby does without")
	}
	db := openFile(t)
	ctx := context.Background()
	if db.wb == nil {
		t.Fatal("a local database has no writeback")
	}
	write := func(k int) {
		if err := db.Tx(ctx, func(q Q) error {
			_, err := q.ExecContext(ctx, `INSERT INTO t (k) VALUES (?)`, fmt.Sprint(k))
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	waitPasses := func(after int64) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for db.wb.passes.Load() <= after {
			if time.Now().After(deadline) {
				t.Fatalf("no writeback pass within 5 s of a commit (passes: %d)", db.wb.passes.Load())
			}
			time.Sleep(time.Millisecond)
		}
	}
	write(-1)
	time.Sleep(3 * writebackEvery)
	if got := db.wb.passes.Load(); got != 0 {
		t.Fatalf("%d passes after a write nobody asked writeback for", got)
	}
	done := db.WriteBackDuring()
	write(0)
	waitPasses(0)
	before := db.wb.passes.Load()
	write(1)
	waitPasses(before)
	f := databaseFile(db.wb.path)
	if f == nil {
		t.Fatal("the database file was never opened for writeback")
	}
	if err := startWriting(f); err != nil {
		t.Errorf("asking for %s to be written out: %v", f.Name(), err)
	}
	// Idle: no more passes.
	time.Sleep(3 * writebackEvery)
	idle := db.wb.passes.Load()
	time.Sleep(10 * writebackEvery)
	if got := db.wb.passes.Load(); got != idle {
		t.Errorf("%d passes while nothing was written", got-idle)
	}
	// A stream of commits gets a pass at most every writebackEvery, not one per commit.
	start, t0 := db.wb.passes.Load(), time.Now()
	for k := 2; k < 200; k++ {
		write(k)
	}
	elapsed := time.Since(t0)
	if got, most := db.wb.passes.Load()-start, int64(elapsed/writebackEvery)+2; got > most {
		t.Errorf("%d passes for 198 commits in %v; want at most %d", got, elapsed, most)
	}
	// Once the change is over, writes are not followed by passes any more.
	done()
	done() // a second call changes nothing
	time.Sleep(3 * writebackEvery)
	over := db.wb.passes.Load()
	write(1000)
	time.Sleep(3 * writebackEvery)
	if got := db.wb.passes.Load(); got != over {
		t.Errorf("%d passes after the change that asked was over", got-over)
	}
}
