package store_test

import (
	"os"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/app/store/storetest"
)

// SyncLog makes the log durable before mail goes out; a log it cannot find is an error, never
// a silent pass, so that a wrong path cannot switch the guard off unnoticed.
func TestSyncLogFailsLoudlyWithoutTheLog(t *testing.T) {
	db := storetest.Open(t)
	if err := db.SyncLog(); err != nil {
		t.Fatalf("with its log: %v", err)
	}
	path, _ := store.LocalFile(db.URL())
	if err := os.Rename(path+"-wal", path+"-wal.away"); err != nil {
		t.Fatal(err)
	}
	defer os.Rename(path+"-wal.away", path+"-wal")
	if err := db.SyncLog(); err == nil || !strings.Contains(err.Error(), "durable") {
		t.Fatalf("without its log: %v", err)
	}
}
