package engine

// #include "engine.h"
import "C"

import (
	"database/sql/driver"
	"errors"
	"io"
	"unsafe"
)

// rows reads one result and hands its statement back when closed.
type rows struct {
	s      *stmt
	cols   []string
	cached bool
	conn   *Conn
	row    bool  // the statement's cells hold a row Next has not handed out yet
	done   bool  // the result is at its end, and the statement was reset
	err    error // the step that failed; the result ends there
}

var errClosed = errors.New("the connection is closed")

// step reads the next row into the statement's cells.
func (r *rows) step() error {
	s := r.s
	var version C.int
	rc := C.lobby_step_row(s.ptr, C.int(len(s.cols)), &s.cells[0], &version)
	if int(version) != s.version {
		// The engine prepared the statement again after a schema change: read its columns
		// again, and the row too if it has other columns now.
		s.version = int(version)
		cols := s.columnNames()
		if len(cols) != len(s.cols) {
			s.cells = make([]C.cell, max(len(cols), 1))
			if rc == codeRow {
				C.lobby_read_row(s.ptr, C.int(len(cols)), &s.cells[0])
			}
		}
		s.cols, r.cols = cols, cols
	}
	switch rc {
	case codeRow:
		r.row = true
		return nil
	case codeDone:
		r.row, r.done = false, true
		return nil
	default:
		r.row = false
		r.err = fail(r.conn.db, "cannot read the next row", rc)
		return r.err
	}
}

// Columns names the result's columns.
func (r *rows) Columns() []string { return append([]string(nil), r.cols...) }

// Next reads the next row into dest: integers, floats, text as string (never guessed to be a
// time), blobs as []byte and NULL as nil.
func (r *rows) Next(dest []driver.Value) error {
	switch {
	case r.err != nil:
		return r.err
	case r.s == nil:
		return io.EOF
	case r.conn.closed:
		return errClosed
	}
	if !r.row {
		if !r.done {
			if err := r.step(); err != nil {
				return err
			}
		}
		if r.done {
			r.Close()
			return io.EOF
		}
	}
	r.row = false
	cells := r.s.cells
	for i := range dest[:min(len(dest), len(r.cols))] {
		c := &cells[i]
		switch c._type {
		case typeInt:
			dest[i] = int64(c.i)
		case typeFloat:
			dest[i] = float64(c.f)
		case typeText:
			dest[i] = C.GoStringN((*C.char)(c.p), c.len)
		case typeBlob:
			dest[i] = C.GoBytes(unsafe.Pointer(c.p), c.len)
		default:
			dest[i] = nil
		}
		c.p = nil // the engine's memory is only good until the next step
	}
	return nil
}

// Close ends the read and frees or resets the statement.
func (r *rows) Close() error {
	if r.s == nil {
		return nil
	}
	s := r.s
	r.s, r.row = nil, false
	if r.conn.closed && r.cached {
		return nil // Close freed the statement already
	}
	for i := range s.cells {
		s.cells[i].p = nil
	}
	s.busy = false
	if r.cached && r.done {
		return nil // lobby_step_row reset it at the end
	}
	release(s, r.cached)
	return nil
}
