package stmtcache

/*
#include <stdlib.h>
#include <string.h>

// The libSQL C API, as in go-libsql's lib/include/libsql.h. The symbols come from the library
// go-libsql links into the binary; they are declared weak so that this package links on its
// own too, and available() says whether they are there.
typedef struct libsql_connection libsql_connection;
typedef struct libsql_stmt libsql_stmt;
typedef struct libsql_rows libsql_rows;
typedef struct libsql_row libsql_row;
typedef const libsql_connection *libsql_connection_t;
typedef const libsql_stmt *libsql_stmt_t;
typedef const libsql_rows *libsql_rows_t;
typedef const libsql_row *libsql_row_t;
typedef struct { const char *ptr; int len; } blob;

#define W __attribute__((weak))
int libsql_prepare(libsql_connection_t, const char *, libsql_stmt_t *, const char **) W;
int libsql_bind_int(libsql_stmt_t, int, long long, const char **) W;
int libsql_bind_float(libsql_stmt_t, int, double, const char **) W;
int libsql_bind_null(libsql_stmt_t, int, const char **) W;
int libsql_bind_string(libsql_stmt_t, int, const char *, const char **) W;
int libsql_bind_blob(libsql_stmt_t, int, const unsigned char *, int, const char **) W;
int libsql_query_stmt(libsql_stmt_t, libsql_rows_t *, const char **) W;
int libsql_execute_stmt(libsql_stmt_t, const char **) W;
int libsql_reset_stmt(libsql_stmt_t, const char **) W;
void libsql_free_stmt(libsql_stmt_t) W;
void libsql_free_rows(libsql_rows_t) W;
int libsql_column_count(libsql_rows_t) W;
int libsql_column_name(libsql_rows_t, int, const char **, const char **) W;
int libsql_column_type(libsql_rows_t, libsql_row_t, int, int *, const char **) W;
unsigned long long libsql_changes(libsql_connection_t) W;
long long libsql_last_insert_rowid(libsql_connection_t) W;
int libsql_next_row(libsql_rows_t, libsql_row_t *, const char **) W;
void libsql_free_row(libsql_row_t) W;
int libsql_get_string(libsql_row_t, int, const char **, const char **) W;
void libsql_free_string(const char *) W;
int libsql_get_int(libsql_row_t, int, long long *, const char **) W;
int libsql_get_float(libsql_row_t, int, double *, const char **) W;
int libsql_get_blob(libsql_row_t, int, blob *, const char **) W;
void libsql_free_blob(blob) W;

// cell is one column of a row as read_row found it.
typedef struct { int type; long long i; double f; const char *p; int len; } cell;

// read_row reads the first n columns of row into out in one call from Go (a cgo call costs
// more than the libSQL calls it makes). Text and blobs stay libSQL's until free_cells.
static int read_row(libsql_rows_t rows, libsql_row_t row, int n, cell *out, const char **err) {
	for (int i = 0; i < n; i++) {
		out[i].type = 5;
		out[i].p = 0;
	}
	for (int i = 0; i < n; i++) {
		int t;
		if (libsql_column_type(rows, row, i, &t, err)) return 1;
		int rc = 0;
		switch (t) {
		case 1: rc = libsql_get_int(row, i, &out[i].i, err); break;
		case 2: rc = libsql_get_float(row, i, &out[i].f, err); break;
		case 3: rc = libsql_get_string(row, i, &out[i].p, err); if (!rc) out[i].len = (int)strlen(out[i].p); break;
		case 4: { blob b; rc = libsql_get_blob(row, i, &b, err); if (!rc) { out[i].p = b.ptr; out[i].len = b.len; } break; }
		}
		if (rc) return 1;
		out[i].type = t;
	}
	return 0;
}

// free_cells gives back the text and blobs read_row took.
static void free_cells(cell *c, int n) {
	for (int i = 0; i < n; i++) {
		if (c[i].type == 3 && c[i].p) libsql_free_string(c[i].p);
		if (c[i].type == 4 && c[i].p) { blob b = { c[i].p, c[i].len }; libsql_free_blob(b); }
	}
}

static int available(void) {
	return libsql_prepare && libsql_bind_int && libsql_bind_float && libsql_bind_null &&
		libsql_bind_string && libsql_bind_blob && libsql_query_stmt && libsql_execute_stmt &&
		libsql_reset_stmt && libsql_free_stmt && libsql_free_rows && libsql_column_count &&
		libsql_column_name && libsql_column_type && libsql_changes && libsql_last_insert_rowid &&
		libsql_next_row && libsql_free_row && libsql_get_string && libsql_free_string &&
		libsql_get_int && libsql_get_float && libsql_get_blob && libsql_free_blob;
}
*/
import "C"

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"time"
	"unsafe"
)

// available reports whether the libSQL C API is linked in.
func available() bool { return C.available() != 0 }

// cerr turns a libSQL status and message into an error, freeing the message.
func cerr(what string, status C.int, msg *C.char) error {
	if status == 0 {
		return nil
	}
	text := "unknown error"
	if msg != nil {
		text = C.GoString(msg)
		C.libsql_free_string(msg)
	}
	return fmt.Errorf("%s: %s", what, text)
}

// stmt is one prepared statement of a connection.
type stmt struct {
	ptr  C.libsql_stmt_t
	busy bool     // rows read from it are open
	cols []string // its column names, once a query has read them
	// bound is the highest argument position ever bound. libSQL's reset keeps SQLite's
	// bindings, so positions a later call leaves out are bound to NULL, as on a fresh statement.
	bound int
}

func prepare(conn unsafe.Pointer, query string) (*stmt, error) {
	q := C.CString(query)
	defer C.free(unsafe.Pointer(q))
	var s C.libsql_stmt_t
	var msg *C.char
	if err := cerr("failed to prepare query "+query, C.libsql_prepare(C.libsql_connection_t(conn), q, &s, &msg), msg); err != nil {
		return nil, err
	}
	return &stmt{ptr: s}, nil
}

func (s *stmt) free() { C.libsql_free_stmt(s.ptr) }

// reset readies the statement for new arguments and ends any read it was in the middle of.
func (s *stmt) reset() error {
	var msg *C.char
	return cerr("failed to reset statement", C.libsql_reset_stmt(s.ptr, &msg), msg)
}

// bind binds args by position, with the same conversions go-libsql makes.
func (s *stmt) bind(args []driver.NamedValue) error {
	top := 0
	for _, a := range args {
		top = max(top, a.Ordinal)
	}
	for i := top + 1; i <= s.bound; i++ {
		var msg *C.char
		if err := cerr(fmt.Sprintf("failed to clear argument no. %d", i), C.libsql_bind_null(s.ptr, C.int(i), &msg), msg); err != nil {
			return err
		}
	}
	s.bound = max(s.bound, top)
	for _, a := range args {
		var msg *C.char
		var status C.int
		i := C.int(a.Ordinal)
		switch v := a.Value.(type) {
		case int64:
			status = C.libsql_bind_int(s.ptr, i, C.longlong(v), &msg)
		case float64:
			status = C.libsql_bind_float(s.ptr, i, C.double(v), &msg)
		case bool:
			b := 0
			if v {
				b = 1
			}
			status = C.libsql_bind_int(s.ptr, i, C.longlong(b), &msg)
		case nil:
			status = C.libsql_bind_null(s.ptr, i, &msg)
		case string:
			cs := C.CString(v)
			status = C.libsql_bind_string(s.ptr, i, cs, &msg)
			C.free(unsafe.Pointer(cs))
		case time.Time:
			cs := C.CString(v.Format(time.RFC3339Nano))
			status = C.libsql_bind_string(s.ptr, i, cs, &msg)
			C.free(unsafe.Pointer(cs))
		case []byte:
			p := C.CBytes(v)
			status = C.libsql_bind_blob(s.ptr, i, (*C.uchar)(p), C.int(len(v)), &msg)
			C.free(p)
		default:
			return fmt.Errorf("unsupported type %T", a.Value)
		}
		if err := cerr(fmt.Sprintf("failed to bind argument no. %d", a.Ordinal), status, msg); err != nil {
			return err
		}
	}
	return nil
}

func (s *stmt) execute() error {
	var msg *C.char
	return cerr("failed to execute statement", C.libsql_execute_stmt(s.ptr, &msg), msg)
}

func (s *stmt) query() (C.libsql_rows_t, error) {
	var rows C.libsql_rows_t
	var msg *C.char
	if err := cerr("failed to execute query", C.libsql_query_stmt(s.ptr, &rows, &msg), msg); err != nil {
		return nil, err
	}
	return rows, nil
}

func changes(conn unsafe.Pointer) (lastID, n int64) {
	c := C.libsql_connection_t(conn)
	return int64(C.libsql_last_insert_rowid(c)), int64(C.libsql_changes(c))
}

// columnNames reads the column names of a result.
func columnNames(rows C.libsql_rows_t) ([]string, error) {
	n := int(C.libsql_column_count(rows))
	names := make([]string, n)
	for i := range n {
		var p, msg *C.char
		if err := cerr("failed to read a column name", C.libsql_column_name(rows, C.int(i), &p, &msg), msg); err != nil {
			return nil, err
		}
		names[i] = C.GoString(p)
		C.libsql_free_string(p)
	}
	return names, nil
}

var errNoRow = errors.New("no more rows")

// next reads the next row into dest: integers, floats, text as string (never guessed to be a
// time), blobs as []byte and NULL as nil. cells is scratch space of len(dest).
func next(rows C.libsql_rows_t, dest []driver.Value, cells []C.cell) error {
	var row C.libsql_row_t
	var msg *C.char
	if err := cerr("failed to read the next row", C.libsql_next_row(rows, &row, &msg), msg); err != nil {
		return err
	}
	if row == nil {
		return errNoRow
	}
	defer C.libsql_free_row(row)
	if len(dest) == 0 {
		return nil
	}
	n := C.int(len(dest))
	status := C.read_row(rows, row, n, &cells[0], &msg)
	defer C.free_cells(&cells[0], n)
	if err := cerr("failed to read a row", status, msg); err != nil {
		return err
	}
	for i, c := range cells[:len(dest)] {
		switch c._type {
		case 1: // LIBSQL_INT
			dest[i] = int64(c.i)
		case 2: // LIBSQL_FLOAT
			dest[i] = float64(c.f)
		case 3: // LIBSQL_TEXT
			dest[i] = C.GoStringN(c.p, c.len)
		case 4: // LIBSQL_BLOB
			dest[i] = C.GoBytes(unsafe.Pointer(c.p), c.len)
		default: // LIBSQL_NULL
			dest[i] = nil
		}
	}
	return nil
}

// cells makes scratch space for next.
func cells(n int) []C.cell { return make([]C.cell, n) }

// nativeRows is an open libSQL result.
type nativeRows = C.libsql_rows_t

// cell is one column of a row read by read_row.
type cell = C.cell

func freeRows(rows nativeRows) { C.libsql_free_rows(rows) }
