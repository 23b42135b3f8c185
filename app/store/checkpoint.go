package store

import (
	"context"
	"database/sql"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/lobby/lobby/app/store/engine"
)

// Checkpoints. In WAL mode a commit appends pages to the log and a checkpoint copies them back
// into the database file. By default SQLite checkpoints inside the COMMIT that takes the log
// past 1,000 pages: copying them and two fsyncs took 5–15 ms here, a seventh of the writer's
// time in a stream of invitations, and every write queued meanwhile waited.
//
// For a local file Open starts a checkpointer instead: a goroutine with a connection of its
// own that copies the log back shortly after writes, on the other core, while the writer goes
// on. Copying alone does not let the log start again from its beginning: SQLite does that only
// when a write transaction begins with every page of the log copied. So once the log is
// restartAt pages long, the checkpointer asks the writer to checkpoint once itself before its
// next transaction: it then copies only the pages written since the checkpointer's last copy,
// and the transaction after starts the log again. The writer's own automatic checkpoint is
// left at fallbackPages, for when the checkpointer cannot keep up.

const (
	// checkpointEvery is the shortest time between two background checkpoints. Each costs
	// two fsyncs; a page written several times within it is copied once.
	checkpointEvery = 20 * time.Millisecond
	// restartAt is the log length (pages) from which the writer checkpoints once itself, so
	// that the log can start again.
	restartAt = 4000
	// shortTail is a number of pages written since the last copy that the writer copies
	// quickly.
	shortTail = 150
	// fallbackPages is the writer's own automatic checkpoint threshold, for a log the
	// checkpointer cannot keep short. Once the log is that long, every COMMIT checkpoints
	// (copies and fsyncs) before it returns, until the log starts again. At 10,000 pages
	// (40 MB) the expire job's largest runs reached it, and the single writes behind them
	// waited for those checkpoints: p99 23–41 ms and longest 93–103 ms, against 19–25 ms and
	// 50–93 ms at 40,000 (three alternating pairs; batches and single writes alike otherwise).
	fallbackPages = 40000
)

// checkpointer runs PASSIVE checkpoints on its own connection after writes.
type checkpointer struct {
	db      *sql.DB
	restart atomic.Bool  // the writer should checkpoint before its next transaction
	passes  atomic.Int64 // how many times it has copied the log back (or tried to)
	loop    *afterWrites
	log     *slog.Logger
}

// startCheckpointer starts the goroutine on conn, a pool of one connection of its own.
func startCheckpointer(conn *sql.DB, log *slog.Logger) *checkpointer {
	k := &checkpointer{db: conn, log: log}
	k.loop = startAfterWrites(checkpointEvery, k.pass)
	return k
}

// kick tells the checkpointer that a write committed. It never blocks.
func (k *checkpointer) kick() {
	if k != nil {
		k.loop.kick()
	}
}

// close stops the goroutine, waiting for a checkpoint in progress.
func (k *checkpointer) close() { k.loop.close() }

// pass copies the log back and, once it is restartAt pages long, asks the writer to finish.
func (k *checkpointer) pass() {
	pages, err := checkpointPool(k.db)
	// Before asking the writer, copy again until little was written meanwhile: the writes
	// wait while the writer copies the rest and syncs.
	for i := 0; err == nil && pages >= restartAt && i < 8; i++ {
		var more int
		if more, err = checkpointPool(k.db); more-pages < shortTail {
			break
		}
		pages = more
	}
	if err != nil {
		k.log.Warn("A background checkpoint failed; the writer's own checkpoints go on.", "err", err)
	} else if pages >= restartAt {
		k.restart.Store(true)
	}
	k.passes.Add(1)
}

// restartDue reports, once, that the writer should checkpoint before its next transaction.
func (k *checkpointer) restartDue() bool {
	return k != nil && k.restart.Load() && k.restart.Swap(false)
}

// checkpoint copies what it can of the log back and returns the log's length in pages. A
// connection of package engine does it off Go's processors (engine.Conn.Checkpoint: it waits on
// the disk); any other runs the pragma.
func checkpoint(c *sql.Conn) (int, error) {
	pages, local := 0, false
	err := c.Raw(func(dc any) error {
		ec, ok := dc.(*engine.Conn)
		if !ok {
			return nil
		}
		local = true
		var err error
		pages, _, err = ec.Checkpoint()
		return err
	})
	if local || err != nil {
		return pages, err
	}
	var busy, copied int
	err = c.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &pages, &copied)
	return pages, err
}

// checkpointPool is checkpoint on the one connection of pool.
func checkpointPool(pool *sql.DB) (int, error) {
	c, err := pool.Conn(context.Background())
	if err != nil {
		return 0, err
	}
	defer c.Close()
	return checkpoint(c)
}
