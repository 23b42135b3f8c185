package engine

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestExecRunsEveryStatementWithoutArguments(t *testing.T) {
	db, other := open(t)
	_, err := db.Exec(`
		-- a migration: several statements, comments between them
		CREATE TABLE a (x INTEGER);
		INSERT INTO a VALUES (1);
		INSERT INTO a VALUES (2); -- trailing comment
	`)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := other.QueryRow(`SELECT sum(x) FROM a`).Scan(&n); err != nil || n != 3 {
		t.Fatalf("sum after the script = %d, %v; want 3", n, err)
	}
	// A failing statement stops the script and names itself.
	_, err = db.Exec(`INSERT INTO a VALUES (3); INSERT INTO nope VALUES (4); INSERT INTO a VALUES (5)`)
	if err == nil || !strings.Contains(err.Error(), "no such table: nope") {
		t.Fatalf("script with a bad statement: %v", err)
	}
	if err := other.QueryRow(`SELECT sum(x) FROM a`).Scan(&n); err != nil || n != 6 {
		t.Fatalf("sum after the failed script = %d, %v; want 6 (the statement before the failure ran)", n, err)
	}
}

func TestErrorsCarryTheEngineCode(t *testing.T) {
	db, _ := open(t)
	if _, err := db.Exec(`INSERT INTO t (name) VALUES ('a')`); err != nil {
		t.Fatal(err)
	}
	_, err := db.Exec(`INSERT INTO t (name) VALUES (?)`, "a")
	var e *Error
	if !errors.As(err, &e) || e.Code != 2067 || !strings.Contains(err.Error(), "UNIQUE constraint failed: t.name") {
		t.Fatalf("duplicate insert: %v (code %v); want SQLITE_CONSTRAINT_UNIQUE 2067", err, e)
	}
	// INSERT … RETURNING through Query fails at the query, not at a later Next.
	_, err = db.Query(`INSERT INTO t (name) VALUES (?) RETURNING id`, "a")
	if err == nil || !strings.Contains(err.Error(), "UNIQUE constraint failed") {
		t.Fatalf("duplicate insert returning: %v", err)
	}
	if _, err := db.Exec(`SELEC 1`); err == nil || !strings.Contains(err.Error(), "syntax error") {
		t.Fatalf("bad SQL: %v", err)
	}
	if _, err := db.Exec(`SELECT ?`, sql.Named("x", 1)); err == nil || !strings.Contains(err.Error(), "named arguments") {
		t.Fatalf("named argument: %v", err)
	}
}

func TestValuesRoundTrip(t *testing.T) {
	db, other := open(t)
	when := time.Date(2026, 11, 23, 15, 4, 5, 6, time.UTC)
	text := "zero\x00byte, ünïcødé, " + strings.Repeat("x", 1<<20)
	var (
		empty, nul, big, stamp sql.NullString
		emptyBlob              []byte
		nilBlob                any
		lo, hi                 int64
		yes                    bool
	)
	err := db.QueryRow(`SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?`, "", nil, text, when, []byte{}, []byte(nil), int64(-1<<63), int64(1<<63-1), true).
		Scan(&empty, &nul, &big, &stamp, &emptyBlob, &nilBlob, &lo, &hi, &yes)
	if err != nil {
		t.Fatal(err)
	}
	if !empty.Valid || empty.String != "" || nul.Valid || big.String != text || lo != -1<<63 || hi != 1<<63-1 || !yes {
		t.Errorf("round trip: empty %v, null %v, big text kept %v, ints %d %d, bool %v", empty, nul, big.String == text, lo, hi, yes)
	}
	if emptyBlob == nil || len(emptyBlob) != 0 || nilBlob != nil {
		t.Errorf("empty blob %#v, nil blob %#v", emptyBlob, nilBlob)
	}
	if stamp.String != "2026-11-23T15:04:05.000000006Z" {
		t.Errorf("a time is bound as %q; want RFC 3339 text", stamp.String)
	}
	// What one connection writes, another reads (TestResultsMatchGoLibsql reads with go-libsql).
	if _, err := db.Exec(`INSERT INTO t (name, data) VALUES (?, ?)`, "ünï", []byte{1, 2}); err != nil {
		t.Fatal(err)
	}
	var name string
	var data []byte
	if err := other.QueryRow(`SELECT name, data FROM t`).Scan(&name, &data); err != nil || name != "ünï" || string(data) != "\x01\x02" {
		t.Errorf("another connection reads %q %v, %v", name, data, err)
	}
}

func TestTransactions(t *testing.T) {
	db, other := open(t)
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT INTO t (name) VALUES ('gone')`); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	tx, err = db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT INTO t (name) VALUES ('kept')`); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var names string
	if err := other.QueryRow(`SELECT group_concat(name) FROM t`).Scan(&names); err != nil || names != "kept" {
		t.Fatalf("after a rollback and a commit: %q, %v", names, err)
	}
	if _, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}); err == nil {
		t.Error("a read-only transaction was accepted; SQLite cannot enforce it")
	}
	// A connection handed back inside a transaction is not handed out again.
	c, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	c.Close()
	db.SetMaxOpenConns(1)
	if err := db.QueryRow(`SELECT count(*) FROM t`).Scan(new(int)); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Exec(`INSERT INTO t (name) VALUES ('other process')`); err != nil {
		t.Fatalf("the abandoned transaction still holds the write lock: %v", err)
	}
}

// Without a busy timeout a second writer fails at once with "database is locked"; with one it
// waits for the lock.
func TestBusyTimeout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b.db")
	holder, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	ctx := context.Background()
	for _, q := range []string{`PRAGMA journal_mode = WAL`, `CREATE TABLE t (x)`, `BEGIN IMMEDIATE`} {
		if _, err := holder.ExecContext(ctx, q, nil); err != nil {
			t.Fatal(err)
		}
	}
	other := sql.OpenDB(Connector{Path: path})
	defer other.Close()
	other.SetMaxOpenConns(1)
	_, err = other.Exec(`INSERT INTO t VALUES (1)`)
	var e *Error
	if !errors.As(err, &e) || e.Code&0xff != 5 || !strings.Contains(err.Error(), "database is locked") {
		t.Fatalf("write while another connection holds the lock: %v", err)
	}
	if _, err := other.Exec(`PRAGMA busy_timeout = 5000`); err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(50 * time.Millisecond)
		_, _ = holder.ExecContext(ctx, `COMMIT`, nil)
	}()
	start := time.Now()
	if _, err := other.Exec(`INSERT INTO t VALUES (1)`); err != nil {
		t.Fatalf("write with a busy timeout: %v", err)
	}
	if waited := time.Since(start); waited < 40*time.Millisecond {
		t.Errorf("the write went through after %v, while the lock was held for 50 ms", waited)
	}
}
