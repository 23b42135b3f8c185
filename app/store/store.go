package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/lobby/lobby/app/store/engine"
	_ "github.com/tursodatabase/go-libsql" // registers the "libsql" driver
)

// ErrNotFound is returned when a row asked for by id or key does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a write would break a uniqueness rule.
var ErrConflict = errors.New("conflict")

// Q is what both a transaction and a pool offer: the three calls the entity files use.
type Q interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// DB is an open Lobby database: one writer connection for every write transaction and a pool
// of readers, because the driver cannot begin read-only transactions itself.
type DB struct {
	// R is the read pool. Use it for queries outside a transaction.
	R *sql.DB
	// W is the single writer connection pool.
	W       *sql.DB
	url     string
	cleanup []func()
	writes  writeQueue
	ckpt    *checkpointer // nil for a remote database
	wb      *writeback    // nil for a remote database, or where the system cannot
	log     *slog.Logger
	path    string // the local file, "" for a remote database
}

// Options tune Open.
type Options struct {
	// BusyTimeout is how long a connection waits for a lock held by another connection or process.
	BusyTimeout time.Duration
	// Readers is the size of the read pool.
	Readers int
	// Logger receives the few lines the store writes itself (a failed checkpoint, a write
	// that panicked); slog.Default when nil.
	Logger *slog.Logger
}

// Open opens (creating if needed) the database at url: "file:path", a bare path, or a remote
// "libsql://…" / "https://…" URL. It does not migrate; call Migrate.
func Open(ctx context.Context, url string, opt Options) (*DB, error) {
	if opt.BusyTimeout <= 0 {
		opt.BusyTimeout = 5 * time.Second
	}
	if opt.Readers <= 0 {
		opt.Readers = 8
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	dsn, local, err := normaliseURL(url)
	if err != nil {
		return nil, err
	}
	path := strings.TrimPrefix(dsn, "file:") // the file, when local
	if local {
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, fmt.Errorf("cannot create the database folder: %w", err)
		}
		if err := checkWritable(path); err != nil {
			return nil, err
		}
	}
	db := &DB{url: dsn, writes: newWriteQueue(), log: opt.Logger}
	if local {
		db.path = path
	}
	pragmas := []string{
		fmt.Sprintf("PRAGMA busy_timeout = %d", opt.BusyTimeout.Milliseconds()),
		"PRAGMA foreign_keys = ON",
	}
	if local {
		// No memory map, said explicitly so that an engine built with another default cannot
		// turn one on: through a map, an I/O error on the file, or the file cut short behind
		// SQLite's back, is a SIGBUS that ends the whole process instead of an error for one
		// request. A map made SCIM lookups and the expire job faster, but that is not worth an
		// intermittent crash of the whole process (docs/BENCHMARKS.md, sixth round).
		pragmas = append(pragmas, "PRAGMA synchronous = NORMAL", "PRAGMA mmap_size = 0")
	}
	open := func(max int, extra ...string) (*sql.DB, error) {
		c, err := openConnector(dsn, local)
		if err != nil {
			return nil, fmt.Errorf("cannot open the database %s: %w", url, err)
		}
		p := sql.OpenDB(&connector{Connector: c, pragmas: append(append([]string{}, pragmas...), extra...)})
		p.SetMaxOpenConns(max)
		p.SetMaxIdleConns(max)
		p.SetConnMaxIdleTime(0)
		db.cleanup = append(db.cleanup, func() { _ = p.Close() })
		return p, nil
	}
	// The writer keeps a bigger page cache (16 MiB; readers have the default 2 MiB): bulk
	// invitations spend most of their time updating indexes. Not bigger: at every COMMIT that
	// split a page the engine walks its whole page cache (a page split renumbers pages through
	// page 262,145, which a database under 1 GiB never reaches, so the cache is "truncated"
	// back to the database's size), and with 64 MiB that walk was 5 % of a batch of invitations.
	writer := []string{"PRAGMA cache_size = -16384"}
	if local {
		// The checkpointer (checkpoint.go) copies the log back; this is the fallback.
		writer = append(writer, fmt.Sprintf("PRAGMA wal_autocheckpoint = %d", fallbackPages))
	}
	if db.W, err = open(1, writer...); err != nil {
		db.Close()
		return nil, err
	}
	if local {
		// WAL lets readers go on while the writer writes; it is a property of the file.
		if err := queryPragma(ctx, db.W, "PRAGMA journal_mode = WAL"); err != nil {
			db.Close()
			return nil, explainOpenError(url, err)
		}
	}
	if err := db.W.PingContext(ctx); err != nil {
		db.Close()
		return nil, explainOpenError(url, err)
	}
	if db.R, err = open(opt.Readers); err != nil {
		db.Close()
		return nil, err
	}
	if local {
		c, err := open(1)
		if err != nil {
			db.Close()
			return nil, err
		}
		db.ckpt = startCheckpointer(c, opt.Logger)
		db.cleanup = append(db.cleanup, db.ckpt.close)
		if db.wb = startWriteback(path); db.wb != nil {
			db.cleanup = append(db.cleanup, db.wb.close)
		}
	}
	return db, nil
}

// Close closes both pools.
func (db *DB) Close() {
	for i := len(db.cleanup) - 1; i >= 0; i-- {
		db.cleanup[i]()
	}
	db.cleanup = nil
}

// URL is the database address Open was given, normalised.
func (db *DB) URL() string { return db.url }

// SyncLog makes every committed write durable on disk (an fsync of the write-ahead log, which
// synchronous=NORMAL leaves to checkpoints): for work with effects outside the database, such
// as sending an email, which must not go out for a change a power cut could still undo. A
// remote database has nothing to sync here.
func (db *DB) SyncLog() error {
	if db.path == "" {
		return nil
	}
	// While the database is open the log exists (checkpoints empty it, never remove it): if it
	// cannot be opened, the writes are not where this looks, and nothing must go out on trust.
	// The fsync runs off Go's processors: it waits on the disk for milliseconds.
	if err := engine.SyncFile(db.path + "-wal"); err != nil {
		return fmt.Errorf("cannot make the database's log durable: %w", err)
	}
	return nil
}

// NewID returns a fresh UUIDv7 string.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// openConnector opens a local file with package engine, which calls libSQL's engine directly,
// and a remote database with go-libsql, through the driver's own OpenConnector (the package
// exports no constructor, only the registered "libsql" driver).
func openConnector(dsn string, local bool) (driver.Connector, error) {
	if local {
		return engine.Connector{Path: strings.TrimPrefix(dsn, "file:")}, nil
	}
	if engine.Started() {
		return nil, errors.New("this process opened a local database file already, and go-libsql, which opens " +
			"remote ones, cannot start after that: use one process per database")
	}
	probe, err := sql.Open("libsql", ":memory:")
	if err != nil {
		return nil, err
	}
	defer probe.Close()
	dc, ok := probe.Driver().(driver.DriverContext)
	if !ok {
		return nil, errors.New("the libsql driver cannot open connectors")
	}
	return dc.OpenConnector(dsn)
}

// connector runs the connection pragmas on every new connection of a pool.
type connector struct {
	driver.Connector
	pragmas []string
}

func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	q, ok := conn.(driver.QueryerContext)
	if !ok {
		return conn, nil
	}
	for _, p := range c.pragmas {
		// The driver refuses Exec for statements that return rows, so pragmas go through Query.
		rows, err := q.QueryContext(ctx, p, nil)
		if err != nil {
			_ = conn.Close()
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		_ = rows.Close()
	}
	return conn, nil
}

func queryPragma(ctx context.Context, db *sql.DB, p string) error {
	rows, err := db.QueryContext(ctx, p)
	if err != nil {
		return err
	}
	return rows.Close()
}

// LocalFile is the file a database URL names, when it names a local file.
func LocalFile(url string) (string, bool) {
	dsn, local, err := normaliseURL(url)
	if err != nil || !local {
		return "", false
	}
	path, _, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
	return path, true
}

func normaliseURL(u string) (dsn string, local bool, err error) {
	switch {
	case u == "":
		return "", false, errors.New("database url is empty")
	case strings.HasPrefix(u, "libsql://"), strings.HasPrefix(u, "https://"), strings.HasPrefix(u, "http://"):
		return u, false, nil
	case strings.HasPrefix(u, "file:"):
		return u, true, nil
	case strings.Contains(u, "://"):
		return "", false, fmt.Errorf("database url %q: use a file path, file:PATH, libsql://, http:// or https://", u)
	default:
		return "file:" + u, true, nil
	}
}

// checkWritable gives a clear message for a read-only file or folder before the driver does.
func checkWritable(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return fmt.Errorf("the database file %s cannot be opened for writing: %w", path, err)
	}
	return f.Close()
}

func explainOpenError(url string, err error) error {
	if strings.Contains(err.Error(), "locked") || strings.Contains(err.Error(), "busy") {
		return fmt.Errorf("the database %s is locked by another program (waited for the busy timeout): %w", url, err)
	}
	return fmt.Errorf("cannot use the database %s: %w", url, err)
}

// isUnique reports whether err is a UNIQUE or PRIMARY KEY constraint failure.
func isUnique(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// Close releases the native database handle when the pool closes.
func (c *connector) Close() error {
	if cl, ok := c.Connector.(interface{ Close() error }); ok {
		return cl.Close()
	}
	return nil
}
