package engine

import (
	"database/sql"
	"fmt"
	"os"
	"testing"

	_ "github.com/tursodatabase/go-libsql"
)

// TestMain has go-libsql start the engine before any test opens a connection of this package.
// TestResultsMatchGoLibsql reads a file with go-libsql, and go-libsql stops the process if its
// first open comes after the engine started (see Started); so here the engine is started the
// other way round, which initEngine accepts.
func TestMain(m *testing.M) {
	if os.Getenv("LOBBY_WALBUF_CHILD") != "" || os.Getenv("LOBBY_WALBUF_FULL") != "" || os.Getenv("LOBBY_GC_CHILD") != "" {
		os.Exit(m.Run()) // a child process of walbuf_child_test.go or gc_test.go: it never uses go-libsql
	}
	db, err := sql.Open("libsql", ":memory:")
	if err == nil {
		err = db.Ping()
		db.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-libsql could not open an in-memory database:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}
