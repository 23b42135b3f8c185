package store

import (
	"context"
	"database/sql"
	"fmt"
	"runtime/debug"
	"sync"
	"time"
)

// Group commit. Every write goes through one connection, so under load writes queue up, and a
// transaction's BEGIN and COMMIT cost about as much as a small write itself. Tx therefore runs
// the writes that queued while one transaction was busy together in the next one, each inside
// its own SAVEPOINT, and commits them with one COMMIT: a write that fails rolls back only its
// own changes, the others still commit, and nobody hears "done" before the COMMIT returned.
// Seen from the callers it is the same as one transaction each, one after another, in the
// order they asked.

const (
	// groupMax bounds how many writes share one transaction.
	groupMax = 128
	// groupBudget stops adding writes to a group once it has run this long, so the first
	// writes of a group are not kept waiting for their COMMIT by a long tail.
	groupBudget = 5 * time.Millisecond
)

// writeQueue holds the writes waiting for the writer connection.
type writeQueue struct {
	mu      sync.Mutex
	waiting []*write
	// turn is held by the goroutine running a group; the others wait for their own write to be
	// done or for the turn, whichever comes first.
	turn chan struct{}
}

func newWriteQueue() writeQueue { return writeQueue{turn: make(chan struct{}, 1)} }

// write is one caller's transaction function and, once done, its outcome.
type write struct {
	ctx   context.Context
	fn    func(q Q) error
	alone bool // see TxAlone
	err   error
	panic any
	done  chan struct{}
}

// Tx runs fn in a write transaction (BEGIN IMMEDIATE, so a second process waits for the lock
// instead of failing half-way) and returns once its changes are committed, or rolled back when
// fn returns an error. fn may share the transaction with other callers' functions (see above);
// it sees their committed-to-be changes, as it would had they committed just before.
func (db *DB) Tx(ctx context.Context, fn func(q Q) error) error {
	return db.tx(&write{ctx: ctx, fn: fn, done: make(chan struct{})})
}

// TxAlone is Tx for a write that may take many milliseconds (a chunk of a job, a large
// batch): it gets a transaction of its own, so the short writes queued before it commit
// without waiting for it.
func (db *DB) TxAlone(ctx context.Context, fn func(q Q) error) error {
	return db.tx(&write{ctx: ctx, fn: fn, alone: true, done: make(chan struct{})})
}

func (db *DB) tx(w *write) error {
	ctx := w.ctx
	wq := &db.writes
	wq.mu.Lock()
	wq.waiting = append(wq.waiting, w)
	wq.mu.Unlock()
	cancelled := ctx.Done()
	for {
		select {
		case <-w.done:
			return w.result()
		case wq.turn <- struct{}{}:
			db.runGroups(w)
			<-wq.turn
			return w.result()
		case <-cancelled:
			if wq.remove(w) {
				return ctx.Err()
			}
			// A group has it: its outcome is the truth. Keep waiting for that, or for the
			// turn in case the group gives it back.
			cancelled = nil
		}
	}
}

// result re-raises a panic of fn in the caller's goroutine, else returns its error.
func (w *write) result() error {
	if w.panic != nil {
		panic(w.panic)
	}
	return w.err
}

// remove takes w out of the queue if no group has taken it yet.
func (wq *writeQueue) remove(w *write) bool {
	wq.mu.Lock()
	defer wq.mu.Unlock()
	for i, x := range wq.waiting {
		if x == w {
			wq.waiting = append(wq.waiting[:i], wq.waiting[i+1:]...)
			return true
		}
	}
	return false
}

// take removes up to n writes from the front of the queue.
func (wq *writeQueue) take(n int) []*write {
	wq.mu.Lock()
	defer wq.mu.Unlock()
	k := min(n, len(wq.waiting))
	group := append([]*write(nil), wq.waiting[:k]...)
	wq.waiting = append(wq.waiting[:0], wq.waiting[k:]...)
	return group
}

// putBack returns writes a group did not get to, at the front, keeping their order.
func (wq *writeQueue) putBack(ws []*write) {
	if len(ws) == 0 {
		return
	}
	wq.mu.Lock()
	defer wq.mu.Unlock()
	wq.waiting = append(append([]*write(nil), ws...), wq.waiting...)
}

// runGroups runs groups of waiting writes until mine is done. The caller holds the turn.
func (db *DB) runGroups(mine *write) {
	for {
		select {
		case <-mine.done:
			return
		default:
		}
		group := db.writes.take(groupMax)
		if len(group) == 0 {
			return // mine was removed by its own cancelled context meanwhile
		}
		ran := db.runGroup(group)
		db.writes.putBack(group[ran:])
	}
}

// runGroup runs the writes of one transaction and reports how many of them it took; the rest
// go back to the queue. Every write taken is done when it returns.
func (db *DB) runGroup(group []*write) (ran int) {
	if i := firstAlone(group); i == 0 {
		group = group[:1]
	} else if i > 0 {
		group = group[:i] // the long write starts the next group
	}
	ctx := context.Background() // the group's statements must not fail because one caller left
	finish := func(ws []*write, err error) {
		for _, w := range ws {
			if w.err == nil && w.panic == nil {
				w.err = err
			}
			close(w.done)
		}
	}
	c, err := db.W.Conn(ctx)
	if err != nil {
		finish(group, err)
		return len(group)
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		finish(group, fmt.Errorf("begin: %w", err))
		return len(group)
	}
	start := time.Now()
	alone := len(group) == 1 // no savepoint needed: a failure rolls back the transaction
	for ran < len(group) && (ran == 0 || time.Since(start) < groupBudget) {
		if err := runOne(ctx, c, group[ran], !alone); err != nil {
			_, _ = c.ExecContext(ctx, "ROLLBACK")
			finish(group[:ran+1], err)
			return ran + 1
		}
		ran++
	}
	if alone && (group[0].err != nil || group[0].panic != nil) {
		_, _ = c.ExecContext(ctx, "ROLLBACK")
		finish(group, nil)
		return 1
	}
	if _, err := c.ExecContext(ctx, "COMMIT"); err != nil {
		_, _ = c.ExecContext(ctx, "ROLLBACK")
		finish(group[:ran], fmt.Errorf("commit: %w", err))
		return ran
	}
	finish(group[:ran], nil)
	return ran
}

// firstAlone is the index of the first write that wants a transaction of its own, or -1.
func firstAlone(group []*write) int {
	for i, w := range group {
		if w.alone {
			return i
		}
	}
	return -1
}

// runOne runs one write, inside a savepoint when it shares the transaction, recording its
// error or panic in w. It returns an error only when the transaction itself is in trouble and
// must be rolled back as a whole.
func runOne(ctx context.Context, c *sql.Conn, w *write, savepoint bool) error {
	if err := w.ctx.Err(); err != nil {
		w.err = err
		return nil
	}
	if !savepoint {
		w.err, w.panic = call(w.fn, c)
		return nil
	}
	if _, err := c.ExecContext(ctx, "SAVEPOINT w"); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	w.err, w.panic = call(w.fn, c)
	if w.err != nil || w.panic != nil {
		if _, err := c.ExecContext(ctx, "ROLLBACK TO w"); err != nil {
			return fmt.Errorf("rollback to savepoint: %w", err)
		}
	}
	if _, err := c.ExecContext(ctx, "RELEASE w"); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	return nil
}

// call runs fn, turning a panic into a value the caller's goroutine raises again.
func call(fn func(q Q) error, q Q) (err error, p any) {
	defer func() {
		if r := recover(); r != nil {
			p = fmt.Sprintf("%v\n\npanic in a write transaction, first raised at:\n%s", r, debug.Stack())
		}
	}()
	return fn(q), nil
}
