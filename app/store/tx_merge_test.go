package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

// mergeItem is a test write's input and outcome.
type mergeItem struct {
	key  string
	done bool // set by the call that succeeded
}

// mergeLog records every call of a merged write's function with its keys.
type mergeLog struct {
	mu    sync.Mutex
	calls [][]string
}

// insertAll is a merged write's function: it inserts every item's key into t with one
// statement, failing the call when an item's key starts with "bad" and panicking when it
// starts with "panic".
func (l *mergeLog) insertAll(ctx context.Context) func(q Q, items []any) error {
	return func(q Q, items []any) error {
		keys := make([]string, len(items))
		for i, it := range items {
			keys[i] = it.(*mergeItem).key
		}
		l.mu.Lock()
		l.calls = append(l.calls, keys)
		l.mu.Unlock()
		args := make([]any, len(keys))
		for i, k := range keys {
			args[i] = k
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO t (k) VALUES `+strings.Repeat("(?), ", len(keys)-1)+`(?)`, args...); err != nil {
			return err
		}
		for _, k := range keys {
			if strings.HasPrefix(k, "bad") {
				return errors.New("refused " + k)
			}
			if strings.HasPrefix(k, "panic") {
				panic("cannot take " + k)
			}
		}
		for _, it := range items {
			it.(*mergeItem).done = true
		}
		return nil
	}
}

// holdWriter starts a write that keeps the writer busy until the returned function is called.
func holdWriter(t *testing.T, db *DB) func() {
	t.Helper()
	started, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.Tx(context.Background(), func(Q) error {
			close(started)
			<-release
			return nil
		})
	}()
	<-started
	return func() {
		close(release)
		if err := <-done; err != nil {
			t.Errorf("the holding write: %v", err)
		}
	}
}

// queueMerged queues one merged write per key behind a held writer, in order, then releases the
// writer and returns each caller's error and panic.
func queueMerged(t *testing.T, db *DB, log *mergeLog, keys []string, other func(i int) bool) ([]error, []any, []*mergeItem) {
	t.Helper()
	ctx := context.Background()
	release := holdWriter(t, db)
	errs, panics := make([]error, len(keys)), make([]any, len(keys))
	items := make([]*mergeItem, len(keys))
	var wg sync.WaitGroup
	for i, k := range keys {
		items[i] = &mergeItem{key: k}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { panics[i] = recover() }()
			if other != nil && other(i) {
				errs[i] = db.Tx(ctx, func(q Q) error {
					_, err := q.ExecContext(ctx, `INSERT INTO t (k) VALUES (?)`, k)
					items[i].done = err == nil
					return err
				})
				return
			}
			errs[i] = db.TxMerged(ctx, "insert", items[i], log.insertAll(ctx))
		}()
		waitQueued(t, db, i+1) // one at a time, so the queue order is the keys' order
	}
	release()
	wg.Wait()
	return errs, panics, items
}

func tableKeys(t *testing.T, db *DB) []string {
	t.Helper()
	rows, err := db.R.Query(`SELECT k FROM t ORDER BY k`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		out = append(out, k)
	}
	return out
}

// TestMergedWritesRunAsOneCall queues writes of one kind with other writes between them: the
// writes of the kind run as one call, in their order, and the others still run.
func TestMergedWritesRunAsOneCall(t *testing.T) {
	db := openFile(t)
	log := &mergeLog{}
	keys := []string{"a1", "x1", "a2", "a3", "x2", "a4"}
	errs, panics, items := queueMerged(t, db, log, keys, func(i int) bool { return keys[i][0] == 'x' })
	for i := range keys {
		if errs[i] != nil || panics[i] != nil || !items[i].done {
			t.Errorf("write %s: err %v, panic %v, done %v", keys[i], errs[i], panics[i], items[i].done)
		}
	}
	if want := [][]string{{"a1", "a2", "a3", "a4"}}; fmt.Sprint(log.calls) != fmt.Sprint(want) {
		t.Errorf("calls %v, want %v", log.calls, want)
	}
	if got := tableKeys(t, db); !slices.Equal(got, []string{"a1", "a2", "a3", "a4", "x1", "x2"}) {
		t.Errorf("table holds %v", got)
	}
}

// TestFailedMergeRunsEachWriteAlone makes a merged call fail, once by an error and once by a
// panic: its changes are undone, each write runs again on its own, and only the bad one fails.
func TestFailedMergeRunsEachWriteAlone(t *testing.T) {
	for _, bad := range []string{"bad", "panic"} {
		t.Run(bad, func(t *testing.T) {
			db := openFile(t)
			log := &mergeLog{}
			keys := []string{"a1", "a2", bad + "3", "a4"}
			errs, panics, items := queueMerged(t, db, log, keys, nil)
			for i, k := range keys {
				failed := errs[i] != nil || panics[i] != nil
				if failed != (k == bad+"3") || items[i].done == failed {
					t.Errorf("write %s: err %v, panic %v, done %v", k, errs[i], panics[i], items[i].done)
				}
			}
			// The first call has them all; then each runs once alone (a group that ran out of
			// time may try the rest together once more first).
			if len(log.calls) == 0 || !slices.Equal(log.calls[0], keys) {
				t.Fatalf("calls %v: the first should have every write", log.calls)
			}
			var alone []string
			for _, c := range log.calls[1:] {
				if len(c) == 1 {
					alone = append(alone, c[0])
				}
			}
			if !slices.Equal(alone, keys) {
				t.Errorf("calls %v: each write should run alone once, in order", log.calls)
			}
			if got := tableKeys(t, db); !slices.Equal(got, []string{"a1", "a2", "a4"}) {
				t.Errorf("table holds %v, want the good writes only", got)
			}
		})
	}
}

// TestMergedWriteSeesEarlierWrites checks that a merged call runs after the writes queued
// before it in the same transaction: its statement fails on a key one of them took, and the
// fallback gives that failure to the write that repeats the key only.
func TestMergedWriteSeesEarlierWrites(t *testing.T) {
	db := openFile(t)
	log := &mergeLog{}
	keys := []string{"k1", "a1", "a2", "k1"}
	errs, _, items := queueMerged(t, db, log, keys, func(i int) bool { return i == 0 })
	for i := range keys {
		if (errs[i] != nil) != (i == 3) || items[i].done != (i != 3) {
			t.Errorf("write %d (%s): err %v, done %v", i, keys[i], errs[i], items[i].done)
		}
	}
	if got := tableKeys(t, db); !slices.Equal(got, []string{"a1", "a2", "k1"}) {
		t.Errorf("table holds %v", got)
	}
}

func TestGatherKeepsOrderWithinEachKind(t *testing.T) {
	w := func(key string) *write {
		if key == "" {
			return &write{}
		}
		return &write{merge: &merge{key: key}}
	}
	group := []*write{w("a"), w(""), w("b"), w("a"), w(""), w("b"), w("a")}
	want := []*write{group[0], group[3], group[6], group[1], group[2], group[5], group[4]}
	gather(group)
	if !slices.Equal(group, want) {
		t.Errorf("gathered order is wrong")
	}
}
