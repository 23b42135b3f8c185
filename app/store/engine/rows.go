package engine

// #include "engine.h"
import "C"

import (
	"database/sql/driver"
	"io"
	"unsafe"
)

// rows reads one result and hands its statement back when closed.
type rows struct {
	s      *stmt
	cached bool
	conn   *Conn
	row    bool // cells hold a row Next has not handed out yet
	done   bool // the result is at its end, and the statement was reset
}

// step reads the next row into cells.
func (r *rows) step() error {
	rc := C.lobby_step_row(r.s.ptr, C.int(len(r.s.cols)), &r.s.cells[0])
	switch rc {
	case codeRow:
		r.row = true
		return nil
	case codeDone:
		r.row, r.done = false, true
		return nil
	default:
		r.row = false
		return fail(r.conn.db, "cannot read the next row", rc)
	}
}

// Columns names the result's columns.
func (r *rows) Columns() []string { return r.s.cols }

// Next reads the next row into dest: integers, floats, text as string (never guessed to be a
// time), blobs as []byte and NULL as nil.
func (r *rows) Next(dest []driver.Value) error {
	if r.s == nil {
		return io.EOF
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
	for i := range dest[:min(len(dest), len(r.s.cols))] {
		c := &r.s.cells[i]
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
	s.busy = false
	if r.cached && r.done {
		return nil // lobby_step_row reset it at the end
	}
	release(s, r.cached)
	return nil
}
