package engine

// #include <stdlib.h>
// #include "offload.h"
import "C"

import (
	"context"
	"database/sql/driver"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

// Work that waits on the disk, off Go's processors. A goroutine in a cgo call or a system call
// keeps its processor (P) until the runtime's monitor takes it back, and the monitor, after a
// while without anything to take, looks only every 10 ms. On two cores, a checkpoint (two
// fsyncs, about 2 ms here) and the mail sender's fsync of the log at the same time left no
// processor to run Go code: in a trace of 32 clients inviting, 35 goroutines were ready and
// none ran for 2.75 ms, and 27 requests took over 10 ms. Such work runs on a thread of its
// own instead, and the goroutine that asked waits parked on a pipe, holding no processor.

// pipe is one job's way to say it is over: the job writes a byte to w, the goroutine reads it
// from r (through Go's poller).
type pipe struct {
	r, w *os.File
	wfd  C.int
}

// pipes keeps a few pipes for the next jobs.
var pipes = make(chan *pipe, 4)

func takePipe() (*pipe, error) {
	select {
	case p := <-pipes:
		return p, nil
	default:
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	return &pipe{r: r, w: w, wfd: C.int(w.Fd())}, nil
}

func keepPipe(p *pipe) {
	select {
	case pipes <- p:
	default:
		p.r.Close()
		p.w.Close()
	}
}

// offload runs j on a thread of its own and returns once it is over. If no thread could be
// started, it runs j on this one, as a plain cgo call would.
func offload(j *C.lobby_job) {
	p, err := takePipe()
	if err == nil {
		j.done = p.wfd
		if C.lobby_offload(j) != 0 {
			keepPipe(p)
			err = fmt.Errorf("no thread")
		}
	}
	if err != nil {
		j.done = -1 // the write fails with EBADF; nothing waits for it
		C.lobby_job_run_here(j)
		return
	}
	// The byte comes after the job marked itself over; a byte read while it is not over would
	// be a stray one (none is ever written), so keep waiting for the job's own.
	var b [1]byte
	for {
		n, err := p.r.Read(b[:])
		if err != nil {
			break
		}
		if n == 1 && C.lobby_job_over(j) != 0 {
			keepPipe(p)
			return
		}
	}
	// Cannot happen; but j and the connection stay the thread's until it is over, and the
	// pipe is kept open for good, never reused: the thread may still write to it.
	lostPipes.Lock()
	lostPipes.p = append(lostPipes.p, p)
	lostPipes.Unlock()
	for C.lobby_job_over(j) == 0 {
		time.Sleep(time.Millisecond)
	}
}

// lostPipes holds the pipes of jobs whose byte could not be read, so that the collector never
// closes them (see offload).
var lostPipes struct {
	sync.Mutex
	p []*pipe
}

// newJob allocates a job in C memory, which the job's thread may use after the call that
// started it has returned.
func newJob(kind C.int) *C.lobby_job {
	j := (*C.lobby_job)(C.calloc(1, C.size_t(unsafe.Sizeof(C.lobby_job{}))))
	if j == nil {
		panic("engine: out of memory")
	}
	j.kind = kind
	return j
}

// Checkpoint copies what it can of the write-ahead log back into the database file without
// waiting for readers or writers, as PRAGMA wal_checkpoint(PASSIVE) does, and returns the log's
// length in pages and how many of them the database file holds. It runs off Go's processors
// (see above). c must not be used by anyone else meanwhile, as for any call on it.
func (c *Conn) Checkpoint() (log, copied int, err error) {
	if c.closed {
		return 0, 0, driver.ErrBadConn
	}
	log, copied, err = c.checkpointOnce()
	if err == nil && log < 0 && !c.readOnce {
		// A connection that has not read the database yet has not opened its log, and a
		// checkpoint on it copies nothing and says -1: read once, then copy.
		if _, err := c.ExecContext(context.Background(), "SELECT count(*) FROM sqlite_schema", nil); err != nil {
			return 0, 0, err
		}
		c.readOnce = true
		log, copied, err = c.checkpointOnce()
	}
	return log, copied, err
}

func (c *Conn) checkpointOnce() (log, copied int, err error) {
	j := newJob(C.LOBBY_JOB_CHECKPOINT)
	defer C.free(unsafe.Pointer(j))
	j.db = c.db
	offload(j)
	// Busy means another connection is checkpointing: not a failure, as with the pragma.
	if j.rc != 0 && j.rc&0xff != codeBusy {
		return 0, 0, fail(c.db, "checkpoint", j.rc)
	}
	return int(j.log), int(j.copied), nil
}

// SyncFile flushes the file at path to the disk (fsync), off Go's processors (see above).
func SyncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	j := newJob(C.LOBBY_JOB_FSYNC)
	defer C.free(unsafe.Pointer(j))
	raw, err := f.SyscallConn()
	if err != nil {
		return err
	}
	if err := raw.Control(func(fd uintptr) {
		j.fd = C.int(fd)
		offload(j)
	}); err != nil {
		return err
	}
	if j.rc != 0 {
		return &os.PathError{Op: "fsync", Path: path, Err: syscall.Errno(j.rc)}
	}
	return nil
}

// sleepOffloaded waits d on a thread of its own, as a slow disk would: for tests.
func sleepOffloaded(d time.Duration) {
	j := newJob(C.LOBBY_JOB_SLEEP)
	defer C.free(unsafe.Pointer(j))
	j.fd = C.int(d.Microseconds())
	offload(j)
}
