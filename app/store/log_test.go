package store

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/logbuf"
)

// The store's own lines go to the logger it was given, in that logger's format and level,
// not to slog's default.
func TestStoreLogsToItsLogger(t *testing.T) {
	var buf logbuf.Buffer
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.db"),
		Options{Logger: slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	func() {
		defer func() { _ = recover() }()
		_ = db.Tx(context.Background(), func(Q) error { panic("the test broke it") })
	}()
	if out := buf.String(); !strings.Contains(out, `"msg":"A write transaction's function panicked; its changes were rolled back."`) ||
		!strings.Contains(out, "the test broke it") {
		t.Fatalf("the store's logger got %q", out)
	}
}
