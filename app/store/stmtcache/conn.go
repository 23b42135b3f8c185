// Package stmtcache keeps the prepared statements of go-libsql connections for reuse.
//
// go-libsql prepares every statement again on every call, and on every TEXT value it reads it
// tries ten time layouts (returning a time.Time for text that looks like a date). On Lobby's
// hot paths that was a fifth of the CPU. Wrap gives a go-libsql connection to a local file an
// Exec and Query that run the same libSQL C calls go-libsql makes, through statements kept per
// connection and reset between uses, and that return TEXT as the string it is. Everything
// else (opening, closing, remote databases, transactions) stays go-libsql's.
package stmtcache

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"reflect"
	"unsafe"
)

// size bounds the statements kept per connection; SQL built for a number of rows (IN lists,
// multi-row INSERTs) makes many distinct strings, and the least recently used ones go.
const size = 256

// Conn is a go-libsql connection whose Exec and Query reuse prepared statements.
type Conn struct {
	driver.Conn
	native unsafe.Pointer
	stmts  map[string]*entry
	tick   uint64
	closed bool
}

type entry struct {
	*stmt
	used uint64
}

// Wrap returns c with a statement cache, or c itself when c is not a go-libsql connection
// this package knows how to reach (another driver version, or the C API not linked in).
func Wrap(c driver.Conn) driver.Conn {
	p := nativeConn(c)
	if p == nil || !available() {
		return c
	}
	return &Conn{Conn: c, native: p, stmts: map[string]*entry{}}
}

// nativeConn reads go-libsql's unexported connection handle: the first field, nativePtr, of
// *libsql.conn. It returns nil if the type is not the one expected.
func nativeConn(c driver.Conn) unsafe.Pointer {
	v := reflect.ValueOf(c)
	if v.Kind() != reflect.Pointer || v.Type().String() != "*libsql.conn" {
		return nil
	}
	f := v.Elem().FieldByName("nativePtr")
	if !f.IsValid() || f.Kind() != reflect.Pointer || f.Type().Elem().String() != "libsql._Ctype_struct_libsql_connection" {
		return nil
	}
	return *(*unsafe.Pointer)(unsafe.Pointer(f.UnsafeAddr()))
}

// take returns a statement for query, ready to bind: the cached one if it is free, else a new one,
// which is kept unless a statement of the same text is still being read.
func (c *Conn) take(query string) (s *stmt, cached bool, err error) {
	c.tick++
	if e, ok := c.stmts[query]; ok {
		if !e.busy {
			e.used = c.tick
			return e.stmt, true, nil // done reset it after its last use
		}
		s, err := prepare(c.native, query)
		return s, false, err
	}
	s, err = prepare(c.native, query)
	if err != nil {
		return nil, false, err
	}
	if len(c.stmts) >= size {
		c.evict()
	}
	c.stmts[query] = &entry{stmt: s, used: c.tick}
	return s, true, nil
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

// done resets a statement after use (ending any read it holds) or frees it if it is not kept.
func done(s *stmt, cached bool) {
	if cached {
		_ = s.reset()
		return
	}
	s.free()
}

// ExecContext runs a statement that returns no rows.
func (c *Conn) ExecContext(_ context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	s, cached, err := c.take(query)
	if err != nil {
		return nil, err
	}
	defer done(s, cached)
	if err := s.bind(args); err != nil {
		return nil, err
	}
	if err := s.execute(); err != nil {
		return nil, err
	}
	id, n := changes(c.native)
	return result{id, n}, nil
}

// QueryContext runs a statement that returns rows; its statement stays busy until they close.
func (c *Conn) QueryContext(_ context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	s, cached, err := c.take(query)
	if err != nil {
		return nil, err
	}
	if err := s.bind(args); err != nil {
		done(s, cached)
		return nil, err
	}
	native, err := s.query()
	if err != nil {
		done(s, cached)
		return nil, err
	}
	cols := s.cols
	if cols == nil {
		if cols, err = columnNames(native); err != nil {
			freeRows(native)
			done(s, cached)
			return nil, err
		}
		// Kept for the statement's life: Lobby's SQL names its columns, so they cannot change
		// (a bare SELECT * over a table altered while the process runs would need reading again).
		s.cols = cols
	}
	s.busy = true
	return &rows{native: native, cols: cols, cells: cells(len(cols)), s: s, cached: cached, conn: c}, nil
}

// Close frees the kept statements, then closes the connection. database/sql closes every
// result first; one closed later anyway frees only its own rows.
func (c *Conn) Close() error {
	c.closed = true
	for q, e := range c.stmts {
		e.free()
		delete(c.stmts, q)
	}
	return c.Conn.Close()
}

// BeginTx passes transactions to go-libsql, which refuses options it cannot honour.
func (c *Conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if b, ok := c.Conn.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	return nil, errors.New("the wrapped connection cannot begin transactions")
}

type result struct{ id, n int64 }

func (r result) LastInsertId() (int64, error) { return r.id, nil }
func (r result) RowsAffected() (int64, error) { return r.n, nil }

// rows reads one result and hands its statement back when closed.
type rows struct {
	native nativeRows
	cols   []string
	cells  []cell
	s      *stmt
	cached bool
	conn   *Conn
}

// Columns names the result's columns.
func (r *rows) Columns() []string { return r.cols }

// Next reads the next row.
func (r *rows) Next(dest []driver.Value) error {
	if r.native == nil {
		return io.EOF
	}
	err := next(r.native, dest[:min(len(dest), len(r.cols))], r.cells)
	if errors.Is(err, errNoRow) {
		r.Close()
		return io.EOF
	}
	return err
}

// Close frees the result and frees or resets its statement.
func (r *rows) Close() error {
	if r.native == nil {
		return nil
	}
	freeRows(r.native)
	r.native = nil
	if r.conn.closed && r.cached {
		return nil // Close freed the statement already
	}
	r.s.busy = false
	done(r.s, r.cached)
	return nil
}
