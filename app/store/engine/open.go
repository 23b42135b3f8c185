// Package engine is a database/sql driver for local libSQL files that calls the C API of
// libSQL's engine directly.
//
// go-libsql reaches the engine through a Rust layer that runs every call on an async runtime
// (about 5 µs for the smallest query, against 0.2 µs here), prepares every statement again,
// and guesses times in text. The engine itself, libSQL's fork of SQLite, is compiled into the
// library go-libsql links; this package calls its sqlite3_* functions with prepared statements
// kept per connection, binds a call's arguments and reads a row in one call each, and returns
// TEXT exactly as stored. Files stay libSQL files, read and written by the same engine, so
// a program using go-libsql can open a file while Lobby has it open. Within one process,
// go-libsql can open databases only if it did so before this package started the engine
// (see Started). Remote databases are go-libsql's alone.
package engine

// #include <stdlib.h>
// #include "engine.h"
// #include "walbuf.h"
import "C"

import (
	"context"
	"database/sql/driver"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	_ "github.com/tursodatabase/go-libsql" // links libSQL's engine
)

var (
	initOnce sync.Once
	initErr  error
	started  atomic.Bool
)

// initEngine starts libSQL's engine from C, as go-libsql's first open would: serialized
// threading, set before the engine starts. It does not go through go-libsql, whose Rust
// layer runs on worker threads of its own: on two-core machines a known go-libsql bug
// (tursodatabase/go-libsql#90) crashes one of them now and then while a call is in flight,
// and a Lobby CI run had a test process die from a signal 0.16 s after it started, when this
// function still opened an in-memory database through go-libsql. After this, go-libsql must
// not open a database in the same process: its first open asserts that it configured the
// engine and stops the process otherwise (Started lets callers check).
func initEngine() error {
	initOnce.Do(func() {
		if rc := C.lobby_init(); rc != 0 {
			initErr = fail(nil, "cannot start the database engine", rc)
			return
		}
		started.Store(true)
		// Without it (no "unix" VFS this package knows) logs are written as SQLite
		// writes them; the engine's tests check that it is in use.
		walbuf = C.lobby_walbuf_register() == 0
	})
	return initErr
}

// Started reports whether this package started the database engine in this process, after
// which go-libsql cannot open databases here (remote ones included).
func Started() bool { return started.Load() }

// Open opens the database file at path, creating it if needed.
func Open(path string) (*Conn, error) {
	if err := initEngine(); err != nil {
		return nil, err
	}
	name := C.CString(path)
	defer C.free(unsafe.Pointer(name))
	var db *C.sqlite3
	var vfs *C.char
	if walbuf {
		vfs = walbufName
	}
	rc := C.sqlite3_open_v2(name, &db, openReadWrite|openCreate|openNoMutex, vfs)
	if rc != 0 {
		err := fail(db, "cannot open the database "+path, rc)
		if db != nil {
			C.sqlite3_close_v2(db)
		}
		return nil, err
	}
	C.sqlite3_extended_result_codes(db, 1)
	return &Conn{db: db, stmts: map[string]*entry{}}, nil
}

// Connector opens connections to one database file, for sql.OpenDB.
type Connector struct {
	// Path is the file's path.
	Path string
}

// Connect opens a new connection.
func (c Connector) Connect(context.Context) (driver.Conn, error) { return Open(c.Path) }

// Driver returns the package's driver.
func (c Connector) Driver() driver.Driver { return Driver{} }

// Driver opens "file:PATH" or a bare path.
type Driver struct{}

// Open opens a connection to the file name names.
func (Driver) Open(name string) (driver.Conn, error) {
	return Open(strings.TrimPrefix(name, "file:"))
}
