package store

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// A few committed writes, far below the 1,000 pages after which the writer would copy the log
// back itself, reach the database file within moments: the checkpointer copied them.
func TestCheckpointerCopiesTheLogBack(t *testing.T) {
	db := openFile(t)
	ctx := context.Background()
	path := strings.TrimPrefix(db.URL(), "file:")
	before := fileSize(t, path)
	err := db.Tx(ctx, func(q Q) error {
		for i := range 200 {
			if _, err := q.ExecContext(ctx, `INSERT INTO t (k) VALUES (?)`, fmt.Sprintf("%04d%s", i, strings.Repeat("x", 500))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for fileSize(t, path) < before+100_000 {
		if time.Now().After(deadline) {
			t.Fatalf("the database file stayed at %d bytes (%d before the write): nothing copied the log back", fileSize(t, path), before)
		}
		time.Sleep(5 * time.Millisecond)
	}
	var n int
	if err := db.R.QueryRowContext(ctx, `SELECT count(*) FROM t`).Scan(&n); err != nil || n != 200 {
		t.Fatalf("read back %d rows, %v", n, err)
	}
}

// waitForPass waits until the checkpointer has copied the log back more than the passes it
// had made before a commit (up to 5 s).
func waitForPass(t *testing.T, k *checkpointer, before int64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for k.passes.Load() <= before {
		if time.Now().After(deadline) {
			t.Fatal("the checkpointer did not copy the log back within 5 s of a commit")
		}
		time.Sleep(time.Millisecond)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// A long stream of writes keeps the log short: once it reaches restartAt pages the
// checkpointer has the writer let it start again from its beginning. Without the checkpointer
// the stream's 20,000 rows of about a page each take the log to the writer's own fallback
// (about 40,000 pages with the table's other pages); with it, the log stays under twice
// restartAt.
func TestCheckpointerKeepsTheLogShort(t *testing.T) {
	db := openFile(t)
	ctx := context.Background()
	path := strings.TrimPrefix(db.URL(), "file:")
	row := strings.Repeat("y", 4000) // about a page each
	var longest int64
	for i := range 200 {
		passes := db.ckpt.passes.Load() // before the commit, whose kick makes the next pass
		err := db.Tx(ctx, func(q Q) error {
			for k := range 100 {
				if _, err := q.ExecContext(ctx, `INSERT INTO t (k) VALUES (?)`, fmt.Sprintf("%03d-%03d%s", i, k, row)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		longest = max(longest, fileSize(t, path+"-wal"))
		waitForPass(t, db.ckpt, passes) // as requests would leave it a moment; a busy machine may not
	}
	if pages := longest / 4096; pages >= 2*restartAt {
		t.Fatalf("the log grew to %d pages; the checkpointer should have restarted it at %d", pages, restartAt)
	}
	var n int
	if err := db.R.QueryRowContext(ctx, `SELECT count(*) FROM t`).Scan(&n); err != nil || n != 20_000 {
		t.Fatalf("read back %d rows, %v", n, err)
	}
}
