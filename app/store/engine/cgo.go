package engine

// #include <stdlib.h>
// #include "engine.h"
import "C"

import (
	"fmt"
	"strings"
	"unsafe"
)

// Result codes of the engine that this package acts on.
const (
	codeBusy  = 5
	codeNoMem = 7
	codeRow   = 100
	codeDone  = 101
)

const (
	openReadWrite     = 0x2
	openCreate        = 0x4
	openNoMutex       = 0x8000 // database/sql hands a connection to one goroutine at a time
	preparePersistent = 0x1
)

// Error is a failure reported by the engine, with its extended result code.
type Error struct {
	// Code is SQLite's extended result code, such as 2067 for a UNIQUE constraint.
	Code int
	// Message is the engine's own description, such as "UNIQUE constraint failed: t.name".
	Message string
	op      string
}

func (e *Error) Error() string { return e.op + ": " + e.Message }

// fail builds the Error for status rc of db.
func fail(db *C.sqlite3, op string, rc C.int) error {
	msg := C.GoString(C.sqlite3_errstr(rc))
	// Out of memory may come from this package's C (a buffer it could not grow), which leaves
	// the connection's message as an earlier call set it.
	if db != nil && rc != codeNoMem {
		if m := C.GoString(C.sqlite3_errmsg(db)); m != "" && m != "not an error" {
			msg = m
		}
	}
	return &Error{Code: int(rc), Message: msg, op: op}
}

// stmt is one prepared statement of a connection.
type stmt struct {
	ptr  *C.sqlite3_stmt
	busy bool     // a result read from it is open
	cols []string // its column names, once a query has read them
	// cells is where lobby_step_row puts a row: one per column, used by one result at a time.
	cells []C.cell
	// version is how often the engine had prepared it again when cols were read.
	version int
	// keep holds the text and blobs bound to it (keepCap bytes, C memory): the engine reads
	// them in place until the next bind.
	keep    *C.char
	keepCap C.int
}

// prepare compiles the first statement of query and returns the text after it. ptr is nil
// when query holds only white space or comments.
func prepare(db *C.sqlite3, query string, persistent bool) (*stmt, string, error) {
	if query == "" {
		return &stmt{}, "", nil
	}
	var flags C.uint
	if persistent {
		flags = preparePersistent
	}
	var s *C.sqlite3_stmt
	var used C.int
	// The engine reports how far it read as a count, never as a pointer into query: see
	// lobby_prepare.
	head := (*C.char)(unsafe.Pointer(unsafe.StringData(query)))
	rc := C.lobby_prepare(db, head, C.int(len(query)), flags, &s, &used)
	if rc != 0 {
		return nil, "", fail(db, "cannot prepare "+brief(query), rc)
	}
	return &stmt{ptr: s}, query[used:], nil
}

// brief shortens SQL for an error message.
func brief(query string) string {
	if len(query) > 4096 {
		query = query[:4096] // enough for 120 characters however much white space it holds
	}
	query = strings.Join(strings.Fields(query), " ")
	if len(query) > 120 {
		query = query[:120] + "…"
	}
	return fmt.Sprintf("%q", query)
}

func (s *stmt) free() {
	if s.ptr != nil {
		C.sqlite3_finalize(s.ptr)
		s.ptr = nil
	}
	C.free(unsafe.Pointer(s.keep))
	s.keep, s.keepCap = nil, 0
	// The cells may still point into the engine's memory of the statement, freed now; a
	// result that ends after the connection closed must find nothing there.
	s.cells = nil
}

func (s *stmt) reset() { C.sqlite3_reset(s.ptr) }

// columnNames reads the names of the statement's result columns.
func (s *stmt) columnNames() []string {
	n := int(C.sqlite3_column_count(s.ptr))
	names := make([]string, n)
	for i := range n {
		names[i] = C.GoString(C.sqlite3_column_name(s.ptr, C.int(i)))
	}
	return names
}
