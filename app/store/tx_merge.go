package store

import (
	"context"
	"database/sql"
	"fmt"
	"runtime/debug"
)

// Merged writes. Under load the writes of a group are often the same small change asked by
// many callers at once (say, 32 clients each inviting one address). Run one by one, each pays
// its own statements: reading the organization, checking the address, three one-row INSERTs.
// TxMerged lets such writes say what kind they are: the writes of one kind in a group are
// gathered and run as one call of their function, which can do the work of all of them in a
// few multi-row statements. That call runs inside its own savepoint; if it fails or panics, its
// changes are rolled back and each write runs again alone, so every caller still gets the
// outcome it would have had on its own.

// mergeMax bounds how many writes one merged call takes.
const mergeMax = 64

// merge is what a write run through TxMerged carries: its kind, its own input (and room for
// its output), and the function that runs a list of such inputs.
type merge struct {
	key  string
	item any
	fn   func(q Q, items []any) error
}

// TxMerged is Tx for a write that may run together with the writes of the same key queued in
// its group: fn gets their items, in queue order, and must make exactly the changes that calling
// it once per item, in that order, would make, and record each item's outcome in the item
// itself. When a call with several items returns an error or panics, its changes are undone
// and fn is called again once per item; so fn must record an outcome only when it returns
// nil, and an item's outcome is the one of the call that committed. Keys must be equal only
// for writes that fn can run together (same organization, same actor, same options).
func (db *DB) TxMerged(ctx context.Context, key string, item any, fn func(q Q, items []any) error) error {
	m := &merge{key: key, item: item, fn: fn}
	return db.tx(&write{ctx: ctx, merge: m, fn: func(q Q) error { return fn(q, []any{item}) }, done: make(chan struct{})})
}

// gather reorders group so that the writes of each merge key follow the first of them, in
// their order, and the others keep theirs. The writes of one group all wait at once, so
// none of them was promised an order against another: running the invitations together and
// the sender's write after them is as true as the order they queued in.
func gather(group []*write) {
	keys := 0
	for _, w := range group {
		if w.merge != nil {
			keys++
		}
	}
	if keys < 2 {
		return
	}
	out := make([]*write, 0, len(group))
	placed := make([]bool, len(group))
	for i, w := range group {
		if placed[i] {
			continue
		}
		out = append(out, w)
		placed[i] = true
		if w.merge == nil {
			continue
		}
		for j := i + 1; j < len(group); j++ {
			if !placed[j] && group[j].merge != nil && group[j].merge.key == w.merge.key {
				out = append(out, group[j])
				placed[j] = true
			}
		}
	}
	copy(group, out)
}

// mergeable is how many writes at the front of ws can run as one merged call: at least 2
// adjacent writes with one key whose callers are still waiting, or 0.
func mergeable(ws []*write) int {
	if len(ws) < 2 || ws[0].merge == nil || ws[0].ctx.Err() != nil {
		return 0
	}
	n := 1
	for n < len(ws) && n < mergeMax {
		w := ws[n]
		if w.merge == nil || w.merge.key != ws[0].merge.key || w.ctx.Err() != nil {
			break
		}
		n++
	}
	if n < 2 {
		return 0
	}
	return n
}

// runMerged runs ws as one call inside a savepoint. It reports whether the call succeeded: ws
// then commit with the group, with no error of their own. When it did not, its changes are
// undone and the caller runs the writes one by one. An error means the transaction itself is
// in trouble.
func (db *DB) runMerged(ctx context.Context, c *sql.Conn, ws []*write) (bool, error) {
	if _, err := c.ExecContext(ctx, "SAVEPOINT m"); err != nil {
		return false, fmt.Errorf("savepoint: %w", err)
	}
	mctx, cancel := context.WithCancel(ctx) // closes any result the call left open
	failed := callMerged(scoped{c: c, ctx: mctx}, ws)
	cancel()
	if failed != nil {
		db.log.Debug("A merged write failed; its writes run one by one.", "writes", len(ws), "err", failed)
		if _, err := c.ExecContext(ctx, "ROLLBACK TO m"); err != nil {
			return false, fmt.Errorf("rollback to savepoint: %w", err)
		}
	}
	if _, err := c.ExecContext(ctx, "RELEASE m"); err != nil {
		return false, fmt.Errorf("release savepoint: %w", err)
	}
	return failed == nil, nil
}

// callMerged runs ws's function once with all their items, turning a panic into an error.
func callMerged(q Q, ws []*write) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	items := make([]any, len(ws))
	for i, w := range ws {
		items[i] = w.merge.item
	}
	return ws[0].merge.fn(q, items)
}
