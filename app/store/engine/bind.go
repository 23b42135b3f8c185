package engine

// #include "engine.h"
import "C"

import (
	"database/sql/driver"
	"fmt"
	"math"
	"time"
	"unsafe"
)

// Value types as the engine numbers them.
const (
	typeInt   = 1
	typeFloat = 2
	typeText  = 3
	typeBlob  = 4
	typeNull  = 5
)

// binder packs a call's arguments for lobby_bind_all; its slices are reused between calls.
type binder struct {
	args []C.arg
	buf  []byte
}

// pack converts args with the conversions go-libsql makes (bool as 0 or 1, time.Time as
// RFC 3339 text). Named arguments are refused: Lobby's SQL uses positional ones only.
func (b *binder) pack(args []driver.NamedValue) error {
	b.args, b.buf = b.args[:0], b.buf[:0]
	for _, a := range args {
		if a.Name != "" {
			return fmt.Errorf("argument %q: named arguments are not supported, use ?", a.Name)
		}
		x := C.arg{pos: C.int(a.Ordinal)}
		switch v := a.Value.(type) {
		case int64:
			x._type, x.i = typeInt, C.i64(v)
		case float64:
			x._type, x.f = typeFloat, C.double(v)
		case bool:
			x._type = typeInt
			if v {
				x.i = 1
			}
		case nil:
			x._type = typeNull
		case string:
			if len(v) > math.MaxInt32 {
				return fmt.Errorf("argument %d: text of %d bytes is too long", a.Ordinal, len(v))
			}
			x._type, x.i, x.len = typeText, C.i64(len(b.buf)), C.int(len(v))
			b.buf = append(b.buf, v...)
		case time.Time:
			x._type, x.i = typeText, C.i64(len(b.buf))
			b.buf = v.AppendFormat(b.buf, time.RFC3339Nano)
			x.len = C.int(len(b.buf) - int(x.i))
		case []byte:
			if v == nil {
				x._type = typeNull
				break
			}
			if len(v) > math.MaxInt32 {
				return fmt.Errorf("argument %d: a blob of %d bytes is too long", a.Ordinal, len(v))
			}
			x._type, x.i, x.len = typeBlob, C.i64(len(b.buf)), C.int(len(v))
			b.buf = append(b.buf, v...)
		default:
			return fmt.Errorf("argument %d: unsupported type %T", a.Ordinal, a.Value)
		}
		b.args = append(b.args, x)
	}
	if len(b.buf) > math.MaxInt32 {
		return fmt.Errorf("the arguments hold %d bytes of text and blobs, more than a statement takes", len(b.buf))
	}
	return nil
}

// bind binds what pack packed to s in one call into the engine, which copies the text and
// blobs into s's own buffer.
func (b *binder) bind(s *stmt) C.int {
	var args *C.arg
	if len(b.args) > 0 {
		args = &b.args[0]
	}
	var buf *C.char
	if len(b.buf) > 0 {
		buf = (*C.char)(unsafe.Pointer(&b.buf[0]))
	}
	return C.lobby_bind_all(s.ptr, C.int(len(b.args)), args, buf, C.int(len(b.buf)), &s.keep, &s.keepCap)
}
