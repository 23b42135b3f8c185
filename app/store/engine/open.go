// Package engine is a database/sql driver for local libSQL files that calls the C API of
// libSQL's engine directly.
//
// go-libsql reaches the engine through a Rust layer that runs every call on an async runtime
// (about 5 µs for the smallest query, against 0.2 µs here), prepares every statement again,
// and guesses times in text. The engine itself, libSQL's fork of SQLite, is compiled into the
// library go-libsql links; this package calls its sqlite3_* functions with prepared statements
// kept per connection, binds a call's arguments and reads a row in one call each, and returns
// TEXT exactly as stored. Files stay libSQL files, read and written by the same engine, so
// go-libsql and this package can open one file at the same time. Remote databases are
// go-libsql's alone.
package engine

// #include <stdlib.h>
// #include "engine.h"
import "C"

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strings"
	"sync"
	"unsafe"

	_ "github.com/tursodatabase/go-libsql" // links libSQL's engine, and must configure it first
)

var (
	initOnce sync.Once
	initErr  error
)

// initEngine lets go-libsql open a database once before this package does: its first open
// configures the engine's threading mode, which must come before the engine starts, and it
// stops the process if anything opened a database before it.
func initEngine() error {
	initOnce.Do(func() {
		db, err := sql.Open("libsql", ":memory:")
		if err != nil {
			initErr = err
			return
		}
		defer db.Close()
		initErr = db.Ping()
	})
	return initErr
}

// Open opens the database file at path, creating it if needed.
func Open(path string) (*Conn, error) {
	if err := initEngine(); err != nil {
		return nil, err
	}
	name := C.CString(path)
	defer C.free(unsafe.Pointer(name))
	var db *C.sqlite3
	rc := C.sqlite3_open_v2(name, &db, openReadWrite|openCreate|openNoMutex, nil)
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
