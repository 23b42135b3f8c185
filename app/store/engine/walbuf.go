package engine

// #include <stdlib.h>
// #include "walbuf.h"
import "C"

// The write-ahead log's writes are gathered by walbuf.c, a VFS that is SQLite's "unix" one
// except for the log file: a commit's frames reach the kernel in one write instead of two per
// page (see walbuf.c for when it writes).
var (
	walbuf     bool // walbuf.c's VFS is registered: connections open through it
	walbufName = C.CString(C.LOBBY_VFS)
)

// logWrites reports how many writes SQLite made to write-ahead logs of this process, and in
// how many writes they reached the kernel.
func logWrites() (made, kernel int64) {
	var w, f C.i64
	C.lobby_walbuf_counts(&w, &f)
	return int64(w), int64(f)
}
