package store

import (
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Writeback. With synchronous=NORMAL nothing is synced at COMMIT, and the pages the
// checkpointer copies back into the database file wait in the kernel's page cache until the
// checkpoint's fsync writes them out all at once. Behind a large change (the expire job
// rewriting 100,000 invitations spread through a table of 1,000,000 dirties hundreds of
// megabytes) the fsyncs, the checkpointer's and then the writer's own automatic ones inside
// COMMITs (see fallbackPages), found all of it to write: single invitations waited up to
// 100–200 ms. So while writes go on, a goroutine asks
// the kernel every writebackEvery to start writing the database file's dirty pages out (Linux's
// sync_file_range with SYNC_FILE_RANGE_WRITE: it waits for no page and makes nothing durable,
// SQLite's own fsyncs still decide that), and the fsyncs find little left to write.
// PostgreSQL's checkpoint_flush_after does the same for the same reason. It runs only while a
// large change asks for it (DB.WriteBackDuring; the expire job does): on for every write, it
// seemed to cost batches of invitations about 16 % (the kernel writing the same hot pages out
// again and again, on the two cores the requests need). The log is left
// alone: asking for it too shortened the longest waits a little more, but made the expire job
// with due rows the oldest about a third slower (likely the writer, reusing the log from its
// start, waiting for pages still being written out).

// writebackEvery is the shortest time between two requests to write dirty pages out.
const writebackEvery = 10 * time.Millisecond

// writeback asks the kernel to write out the dirty pages of a database file after writes.
type writeback struct {
	path   string
	wanted atomic.Int32 // how many large changes are asking for it now
	passes atomic.Int64
	loop   *afterWrites
}

// startWriteback starts the goroutine for the database file at path, or returns nil where the
// system has no way to start writing a file out without waiting for it.
func startWriteback(path string) *writeback {
	if !canWriteBack {
		return nil
	}
	w := &writeback{path: path}
	w.loop = startAfterWrites(writebackEvery, w.pass)
	return w
}

// kick tells the goroutine that a write committed, if a large change is asking for
// writeback. It never blocks.
func (w *writeback) kick() {
	if w != nil && w.wanted.Load() > 0 {
		w.loop.kick()
	}
}

// close stops the goroutine. The file's descriptor stays open: see databaseFile.
func (w *writeback) close() { w.loop.close() }

// pass asks for the file's dirty pages to be written out. A failure is not reported: it
// changes nothing but when the pages reach the disk, and SQLite's fsync reports I/O errors.
func (w *writeback) pass() {
	if f := databaseFile(w.path); f != nil {
		_ = startWriting(f)
	}
	w.passes.Add(1)
}

// databaseFiles holds one read-only descriptor of each database file a writeback has asked
// about, for the life of the process. It is never closed: closing any descriptor of a file
// drops all of this process's POSIX locks on it, SQLite's included, and a connection of this
// process to that file (another DB on the same path, or a connection still in use when its
// pool closed) may hold one at any time. One descriptor per database file opened is the price.
var databaseFiles = struct {
	sync.Mutex
	byPath map[string]*os.File
}{byPath: map[string]*os.File{}}

// databaseFile returns the descriptor of the database file at path, or nil if it cannot be
// opened (a later pass tries again).
func databaseFile(path string) *os.File {
	databaseFiles.Lock()
	defer databaseFiles.Unlock()
	if f, ok := databaseFiles.byPath[path]; ok {
		return f
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	databaseFiles.byPath[path] = f
	return f
}

// WriteBackDuring asks the kernel, until done is called, to start writing the database file's
// dirty pages out after commits (see writeback). Call it around a change that rewrites many
// pages, such as the expire job; it does nothing for a remote database or off Linux.
func (db *DB) WriteBackDuring() (done func()) {
	if db.wb == nil {
		return func() {}
	}
	db.wb.wanted.Add(1)
	var once sync.Once
	return func() { once.Do(func() { db.wb.wanted.Add(-1) }) }
}
