package engine

// #include "engine.h"
import "C"

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
)

// size bounds the statements kept per connection; SQL built for a number of rows (IN lists,
// multi-row INSERTs) makes many distinct strings, and the least recently used ones go.
const size = 256

// maxSQL is the longest SQL the engine compiles (SQLite's default SQLITE_MAX_SQL_LENGTH).
const maxSQL = 1_000_000_000

// Conn is one connection to a local database file, keeping its prepared statements.
type Conn struct {
	db     *C.sqlite3
	stmts  map[string]*entry
	tick   uint64
	args   binder
	closed bool
	// readOnce is set once Checkpoint made the connection read the database (and so open
	// its log).
	readOnce bool
}

type entry struct {
	*stmt
	used uint64
}

var (
	_ driver.ExecerContext      = (*Conn)(nil)
	_ driver.QueryerContext     = (*Conn)(nil)
	_ driver.ConnBeginTx        = (*Conn)(nil)
	_ driver.SessionResetter    = (*Conn)(nil)
	_ driver.Validator          = (*Conn)(nil)
	_ driver.ConnPrepareContext = (*Conn)(nil)
)

// take returns a statement for the first statement of query, ready to bind, and the SQL after
// it: the cached statement if it is free, else a new one, kept unless a statement of the same
// text is being read or query holds more than one statement.
func (c *Conn) take(query string) (s *stmt, cached bool, rest string, err error) {
	c.tick++
	if e, ok := c.stmts[query]; ok && !e.busy {
		e.used = c.tick
		return e.stmt, true, "", nil // it was reset after its last use
	}
	_, known := c.stmts[query]
	s, rest, err = prepare(c.db, query, !known)
	if err != nil || known || s.ptr == nil || strings.TrimSpace(rest) != "" {
		return s, false, rest, err
	}
	if len(c.stmts) >= size {
		c.evict()
	}
	c.stmts[query] = &entry{stmt: s, used: c.tick}
	return s, true, "", nil
}

// evict frees the least recently used statement that is not being read.
func (c *Conn) evict() {
	var oldest string
	var at uint64
	for q, e := range c.stmts {
		if !e.busy && (oldest == "" || e.used < at) {
			oldest, at = q, e.used
		}
	}
	if e, ok := c.stmts[oldest]; ok {
		e.free()
		delete(c.stmts, oldest)
	}
}

// release ends a statement's use: a kept one is reset, another one is freed.
func release(s *stmt, cached bool) {
	if cached {
		s.reset()
		return
	}
	s.free()
}

// ExecContext runs SQL that returns no rows. Without arguments it runs every statement in
// query, as a migration needs; with arguments, query must be one statement.
func (c *Conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if err := c.check(ctx, query, args); err != nil {
		return nil, err
	}
	var res result
	for {
		s, cached, rest, err := c.take(query)
		if err != nil {
			return nil, err
		}
		if len(args) > 0 {
			if err := c.single(query, rest); err != nil {
				release(s, cached)
				return nil, err
			}
		}
		if s.ptr != nil {
			if res, err = c.exec(s, cached, query); err != nil {
				return nil, err
			}
		}
		if strings.TrimSpace(rest) == "" {
			return res, nil
		}
		if len(rest) == len(query) {
			return nil, errors.New("cannot run " + brief(query) + ": the engine read no statement from it")
		}
		query = rest
	}
}

// check refuses a call on a closed connection, after its context ended, or with SQL the
// engine would read only up to a NUL byte; then it packs the arguments.
func (c *Conn) check(ctx context.Context, query string, args []driver.NamedValue) error {
	if c.closed {
		return driver.ErrBadConn
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if strings.IndexByte(query, 0) >= 0 {
		return errors.New("cannot run " + brief(query) + ": it holds a NUL byte")
	}
	if len(query) > maxSQL {
		// Its length would not fit the engine's int: it would read less, or past the end.
		return fmt.Errorf("cannot run %s: %d bytes of SQL is more than the engine takes (%d)", brief(query), len(query), maxSQL)
	}
	return c.args.pack(args)
}

// single reports an error if rest, the SQL after query's first statement, holds another
// statement: arguments and results belong to one statement.
func (c *Conn) single(query, rest string) error {
	for strings.TrimSpace(rest) != "" {
		s, after, err := prepare(c.db, rest, false)
		if err != nil {
			return err
		}
		if s.ptr != nil {
			s.free()
			return errors.New("cannot run " + brief(query) + ": it holds several statements; " +
				"only SQL without arguments or results may")
		}
		rest = after
	}
	return nil
}

// exec binds the packed arguments to s and runs it to its end.
func (c *Conn) exec(s *stmt, cached bool, query string) (result, error) {
	defer func() {
		if !cached {
			s.free()
		}
	}()
	if rc := c.args.bind(s); rc != 0 {
		err := fail(c.db, "cannot bind the arguments of "+brief(query), rc)
		s.reset()
		return result{}, err
	}
	var changes, last C.i64
	if rc := C.lobby_run(c.db, s.ptr, &changes, &last); rc != 0 {
		err := fail(c.db, "cannot run "+brief(query), rc)
		s.reset()
		return result{}, err
	}
	return result{id: int64(last), n: int64(changes)}, nil
}

// QueryContext runs a statement that returns rows. It reads the first row at once, so that an
// error such as a constraint failure of an INSERT … RETURNING is the query's. The statement
// stays busy until the rows close.
func (c *Conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if err := c.check(ctx, query, args); err != nil {
		return nil, err
	}
	s, cached, rest, err := c.take(query)
	if err != nil {
		return nil, err
	}
	if err := c.single(query, rest); err != nil {
		release(s, cached)
		return nil, err
	}
	if s.ptr == nil {
		return nil, errors.New("the query " + brief(query) + " holds no statement")
	}
	if rc := c.args.bind(s); rc != 0 {
		err := fail(c.db, "cannot bind the arguments of "+brief(query), rc)
		release(s, cached)
		return nil, err
	}
	if s.cells == nil {
		// Kept with the statement; step reads them again if a schema change alters them.
		s.cols = s.columnNames()
		s.cells = make([]C.cell, max(len(s.cols), 1))
	}
	r := &rows{s: s, cols: s.cols, cached: cached, conn: c}
	s.busy = true
	if err := r.step(); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// PrepareContext returns a statement that runs through ExecContext and QueryContext, which
// keep the prepared statement themselves.
func (c *Conn) PrepareContext(_ context.Context, query string) (driver.Stmt, error) {
	if c.closed {
		return nil, driver.ErrBadConn
	}
	return &prepared{c: c, query: query}, nil
}

// Prepare is PrepareContext without a context.
func (c *Conn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// BeginTx starts a transaction with a plain BEGIN. SQLite transactions are serializable, so
// only the default and serializable levels are accepted; read-only ones are refused.
func (c *Conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if opts.ReadOnly {
		return nil, errors.New("read-only transactions are not supported: use a read connection")
	}
	if opts.Isolation != 0 && opts.Isolation != driver.IsolationLevel(6) { // 6 is sql.LevelSerializable
		return nil, errors.New("only serializable transactions are supported")
	}
	if _, err := c.ExecContext(ctx, "BEGIN", nil); err != nil {
		return nil, err
	}
	return tx{c}, nil
}

// Begin starts a transaction.
func (c *Conn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// ResetSession refuses to hand out again a connection left inside a transaction.
func (c *Conn) ResetSession(context.Context) error {
	if c.closed || C.sqlite3_get_autocommit(c.db) == 0 {
		return driver.ErrBadConn
	}
	return nil
}

// IsValid reports whether the connection is open.
func (c *Conn) IsValid() bool { return !c.closed }

// Close frees the kept statements and closes the connection. database/sql closes every result
// first; one closed later anyway frees only its own statement.
func (c *Conn) Close() error {
	if c.closed {
		return nil
	}
	c.closed = true
	for q, e := range c.stmts {
		e.free()
		delete(c.stmts, q)
	}
	if rc := C.sqlite3_close_v2(c.db); rc != 0 {
		return fail(nil, "cannot close the database", rc)
	}
	return nil
}

// message is the engine's latest message for the connection ("not an error" when its last
// call succeeded), for tests of what a call leaves behind.
func (c *Conn) message() string { return C.GoString(C.sqlite3_errmsg(c.db)) }
