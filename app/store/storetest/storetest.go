// Package storetest gives tests a real, migrated libSQL file of their own in milliseconds: the
// schema is migrated once per test binary into a template file, kept in memory (its folder is
// removed at once, so test runs leave nothing in the temporary folder), and each test gets a
// copy.
package storetest

import (
	"context"
	"database/sql"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/lobby/lobby/app/store"
)

var (
	once     sync.Once
	template []byte
	tmplErr  error
)

// Path returns the path of a fresh copy of a migrated database inside t.TempDir().
func Path(t testing.TB) string {
	t.Helper()
	once.Do(func() { template, tmplErr = build() })
	if tmplErr != nil {
		t.Fatalf("cannot build the template database: %v", tmplErr)
	}
	path := filepath.Join(t.TempDir(), "lobby.db")
	if err := os.WriteFile(path, template, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Open returns an open, migrated database that is closed when the test ends.
func Open(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), Path(t), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}

// build migrates a new database in a folder of its own, folds its log into the file, and
// returns the file's bytes; the folder is removed.
func build() ([]byte, error) {
	dir, err := os.MkdirTemp("", "lobby-template-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "template.db")
	// Its "Created the database's tables." would stand in every test binary's output.
	quiet := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	db, err := store.Open(context.Background(), path, store.Options{Logger: quiet})
	if err != nil {
		return nil, err
	}
	_, err = db.Migrate(context.Background())
	if err == nil {
		// Fold the WAL into the main file so one file copy is the whole database.
		// The driver refuses Exec for statements that return rows, so this goes through Query.
		var rows *sql.Rows
		if rows, err = db.W.QueryContext(context.Background(), "PRAGMA wal_checkpoint(TRUNCATE)"); err == nil {
			err = rows.Close()
		}
	}
	db.Close()
	if err != nil {
		return nil, err
	}
	return os.ReadFile(path)
}
