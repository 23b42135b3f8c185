package store

import (
	"os"
	"sync/atomic"
	"time"
)

// Writeback. With synchronous=NORMAL nothing is synced at COMMIT: the log's pages, and the
// database's once the checkpointer copies them back, wait in the kernel's page cache until a
// checkpoint's fsync writes them out all at once. Behind a large change (the expire job
// rewriting 100,000 invitations spread through a table of 1,000,000 dirties hundreds of
// megabytes) that fsync held the file system's journal long enough to stop the writer's next
// log write: single invitations waited up to 90–105 ms. So while writes go on, a goroutine asks
// the kernel every writebackEvery to start writing both files' dirty pages out (Linux's
// sync_file_range with SYNC_FILE_RANGE_WRITE: it waits for no page and makes nothing durable,
// SQLite's own fsyncs still decide that), and those fsyncs find little left to write.
// PostgreSQL's checkpoint_flush_after does the same for the same reason.

// writebackEvery is the shortest time between two requests to write dirty pages out.
const writebackEvery = 10 * time.Millisecond

// writeback asks the kernel to write out the dirty pages of the files at paths after writes.
type writeback struct {
	paths  []string
	files  []*os.File // opened at the first pass that finds each file (the log comes later)
	passes atomic.Int64
	kicked chan struct{}
	stop   chan struct{}
	done   chan struct{}
}

// startWriteback starts the goroutine for the files at paths, or returns nil where the system
// has no way to start writing a file out without waiting for it.
func startWriteback(paths ...string) *writeback {
	if !canWriteBack {
		return nil
	}
	w := &writeback{paths: paths, files: make([]*os.File, len(paths)), kicked: make(chan struct{}, 1),
		stop: make(chan struct{}), done: make(chan struct{})}
	go w.run()
	return w
}

// kick tells the goroutine that a write committed. It never blocks.
func (w *writeback) kick() {
	if w == nil {
		return
	}
	select {
	case w.kicked <- struct{}{}:
	default:
	}
}

// halt stops the goroutine.
func (w *writeback) halt() {
	close(w.stop)
	<-w.done
}

// release closes the files, after halt. Call it only once every connection to the database
// is closed: closing any descriptor of a file drops all of this process's POSIX locks on it,
// SQLite's included.
func (w *writeback) release() {
	for _, f := range w.files {
		if f != nil {
			_ = f.Close()
		}
	}
}

func (w *writeback) run() {
	defer close(w.done)
	pause := time.NewTimer(writebackEvery)
	pause.Stop()
	for {
		select {
		case <-w.stop:
			return
		case <-w.kicked:
		}
		w.pass()
		pause.Reset(writebackEvery)
		select {
		case <-w.stop:
			return
		case <-pause.C:
		}
	}
}

// pass asks for each file's dirty pages to be written out. A failure is not reported: it
// changes nothing but when the pages reach the disk, and SQLite's fsync reports I/O errors.
func (w *writeback) pass() {
	for i, path := range w.paths {
		if w.files[i] == nil {
			f, err := os.Open(path) // read-only is enough to ask for writeback
			if err != nil {
				continue
			}
			w.files[i] = f
		}
		_ = startWriting(w.files[i])
	}
	w.passes.Add(1)
}
