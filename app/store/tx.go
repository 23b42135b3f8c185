package store

import (
	"context"
	"errors"
	"fmt"
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
	// writes of a group are not kept waiting for their COMMIT by a long tail. 1, 2 and 5 ms
	// were within the noise of each other at 32 clients; 2 ms was ahead in two paired runs.
	groupBudget = 2 * time.Millisecond
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
	ctx      context.Context
	fn       func(q Q) error
	alone    bool   // see TxAlone
	merge    *merge // see TxMerged
	err      error
	panic    any    // what fn panicked with, raised again in the caller's goroutine
	stack    []byte // where it first panicked
	finished bool   // done is closed; only the goroutine holding the turn touches it
	done     chan struct{}
}

// Tx runs fn in a write transaction (BEGIN IMMEDIATE, so a second process waits for the lock
// instead of failing half-way) and returns once its changes are committed, or rolled back when
// fn returns an error or panics (the panic is raised again here). fn may share the transaction
// with other callers' functions (see above); it sees their committed-to-be changes, as it would
// had they committed just before. fn may run on another caller's goroutine, so it must not
// take a lock that a caller of Tx may hold while it waits. Its statements run under ctx, ended
// when fn returns, which closes any result fn left open.
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
			return db.result(w)
		case wq.turn <- struct{}{}:
			db.lead(w)
			return db.result(w)
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

// QueuedWrites is how many writes wait for the writer connection now. Tests use it to queue
// writes behind one they hold.
func (db *DB) QueuedWrites() int {
	db.writes.mu.Lock()
	defer db.writes.mu.Unlock()
	return len(db.writes.waiting)
}

// errNotRun would mean a write left the queue without running: it cannot happen, and must not
// pass for success if it ever did.
var errNotRun = errors.New("store: the write was never run")

// lead runs groups until w is done, holding the turn; the turn is given back even if a
// write's function ends the goroutine (runtime.Goexit) or the group code panics.
func (db *DB) lead(w *write) {
	defer func() { <-db.writes.turn }()
	db.runGroups(w)
	select {
	case <-w.done:
	default:
		w.err = errNotRun
	}
}

// result re-raises a panic of w's function in the caller's goroutine, else returns its error.
func (db *DB) result(w *write) error {
	if w.panic != nil {
		db.log.Error("A write transaction's function panicked; its changes were rolled back.",
			"panic", fmt.Sprint(w.panic), "stack", string(w.stack))
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
