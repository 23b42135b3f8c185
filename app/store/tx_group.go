package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime/debug"
	"time"
)

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

// errAbandoned is what the writes of a group hear when a function in it ended its goroutine
// (runtime.Goexit, as t.FailNow does) in the middle of the transaction.
var errAbandoned = errors.New("store: a write in the same transaction stopped its goroutine; nothing was committed")

// runGroup runs the writes of one transaction and reports how many of them it took; the rest
// go back to the queue. Every write taken is done when it returns.
func (db *DB) runGroup(group []*write) (ran int) {
	if i := firstAlone(group); i == 0 {
		group = group[:1]
	} else if i > 0 {
		group = group[:i] // the long write starts the next group
	}
	gather(group)
	ctx := context.Background() // the group's statements must not fail because one caller left
	c, err := db.W.Conn(ctx)
	if err != nil {
		finish(group, err)
		return len(group)
	}
	defer c.Close()
	if db.ckpt.restartDue() {
		if _, err := checkpoint(c); err != nil {
			db.log.Warn("The writer's checkpoint failed; the log goes on growing until one succeeds.", "err", err)
		}
	}
	if _, err := c.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		finish(group, fmt.Errorf("begin: %w", err))
		return len(group)
	}
	returned := false
	defer func() {
		if !returned { // a function ended the goroutine: undo everything, keep the rest queued
			rollback(c)
			finish(group[:min(ran+1, len(group))], errAbandoned)
			db.writes.putBack(group[min(ran+1, len(group)):])
		}
	}()
	start := time.Now()
	alone := len(group) == 1 // no savepoint needed: a failure rolls back the transaction
	single := 0              // writes before this index run one by one: their merged call failed
	for ran < len(group) && (ran == 0 || time.Since(start) < groupBudget) {
		if n := mergeable(group[ran:]); n > 0 && ran >= single {
			ok, err := db.runMerged(ctx, c, group[ran:ran+n])
			if err != nil {
				rollback(c)
				finish(group[:ran+n], err)
				returned = true
				return ran + n
			}
			if ok {
				ran += n
				continue
			}
			single = ran + n
		}
		if err := runOne(ctx, c, group[ran], !alone); err != nil {
			rollback(c)
			finish(group[:ran+1], err)
			returned = true
			return ran + 1
		}
		ran++
	}
	returned = true
	if alone && (group[0].err != nil || group[0].panic != nil) {
		rollback(c)
		finish(group, nil)
		return 1
	}
	if _, err := c.ExecContext(ctx, "COMMIT"); err != nil {
		rollback(c)
		finish(group[:ran], fmt.Errorf("commit: %w", err))
		return ran
	}
	db.ckpt.kick()
	db.wb.kick()
	finish(group[:ran], nil)
	return ran
}

// finish hands each write its outcome: its own error or panic if it had one, else err.
func finish(ws []*write, err error) {
	for _, w := range ws {
		if w.finished {
			continue
		}
		if w.err == nil && w.panic == nil {
			w.err = err
		}
		w.finished = true
		close(w.done)
	}
}

// rollback ends the transaction; if even that fails, the connection is dropped so that the
// pool never hands out one still inside a transaction.
func rollback(c *sql.Conn) {
	if _, err := c.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		_ = c.Raw(func(any) error { return driver.ErrBadConn })
	}
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
		call(w, c)
		return nil
	}
	if _, err := c.ExecContext(ctx, "SAVEPOINT w"); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	call(w, c)
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

// call runs w's function on c, recording its error or panic. Its statements run under a
// context that ends when it returns: database/sql then closes any result it left open (say,
// a loop cut short by a panic), which would otherwise keep the connection from the pool.
func call(w *write, c *sql.Conn) {
	ctx, cancel := context.WithCancel(w.ctx)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			w.panic, w.stack = r, debug.Stack()
		}
	}()
	w.err = w.fn(scoped{c: c, ctx: ctx})
}

// scoped is the Q a write's function gets: every statement runs under the write's own
// context (see call), whatever context the function passes.
type scoped struct {
	c   *sql.Conn
	ctx context.Context
}

func (s scoped) ExecContext(_ context.Context, query string, args ...any) (sql.Result, error) {
	return s.c.ExecContext(s.ctx, query, args...)
}

func (s scoped) QueryContext(_ context.Context, query string, args ...any) (*sql.Rows, error) {
	return s.c.QueryContext(s.ctx, query, args...)
}

func (s scoped) QueryRowContext(_ context.Context, query string, args ...any) *sql.Row {
	return s.c.QueryRowContext(s.ctx, query, args...)
}
