// Package storetest gives tests a real, migrated libSQL file of their own in milliseconds: the
// schema is migrated once per test binary into a template file, and each test gets a copy.
package storetest

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/lobby/lobby/app/store"
)

var (
	once     sync.Once
	template string
	tmplErr  error
)

// Path returns the path of a fresh copy of a migrated database inside t.TempDir().
func Path(t testing.TB) string {
	t.Helper()
	once.Do(func() {
		dir, err := os.MkdirTemp("", "lobby-template-")
		if err != nil {
			tmplErr = err
			return
		}
		template = filepath.Join(dir, "template.db")
		// Its "Created the database's tables." would stand in every test binary's output.
		quiet := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		db, err := store.Open(context.Background(), template, store.Options{Logger: quiet})
		if err != nil {
			tmplErr = err
			return
		}
		_, tmplErr = db.Migrate(context.Background())
		if tmplErr == nil {
			// Fold the WAL into the main file so one file copy is the whole database.
			// The driver refuses Exec for statements that return rows, so this goes through Query.
			rows, err := db.W.QueryContext(context.Background(), "PRAGMA wal_checkpoint(TRUNCATE)")
			if err == nil {
				tmplErr = rows.Close()
			} else {
				tmplErr = err
			}
		}
		db.Close()
	})
	if tmplErr != nil {
		t.Fatalf("cannot build the template database: %v", tmplErr)
	}
	b, err := os.ReadFile(template)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "lobby.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
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
