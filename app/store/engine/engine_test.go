package engine

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestExecRunsEveryStatementWithoutArguments(t *testing.T) {
	db, plain := open(t)
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
	if err := plain.QueryRow(`SELECT sum(x) FROM a`).Scan(&n); err != nil || n != 3 {
		t.Fatalf("sum after the script = %d, %v; want 3", n, err)
	}
	// A failing statement stops the script and names itself.
	_, err = db.Exec(`INSERT INTO a VALUES (3); INSERT INTO nope VALUES (4); INSERT INTO a VALUES (5)`)
	if err == nil || !strings.Contains(err.Error(), "no such table: nope") {
		t.Fatalf("script with a bad statement: %v", err)
	}
	if err := plain.QueryRow(`SELECT sum(x) FROM a`).Scan(&n); err != nil || n != 6 {
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
	db, plain := open(t)
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
	// What this package writes, go-libsql reads.
	if _, err := db.Exec(`INSERT INTO t (name, data) VALUES (?, ?)`, "ünï", []byte{1, 2}); err != nil {
		t.Fatal(err)
	}
	var name string
	var data []byte
	if err := plain.QueryRow(`SELECT name, data FROM t`).Scan(&name, &data); err != nil || name != "ünï" || string(data) != "\x01\x02" {
		t.Errorf("go-libsql reads %q %v, %v", name, data, err)
	}
}

func TestTransactions(t *testing.T) {
	db, plain := open(t)
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
	if err := plain.QueryRow(`SELECT group_concat(name) FROM t`).Scan(&names); err != nil || names != "kept" {
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
	if _, err := plain.Exec(`INSERT INTO t (name) VALUES ('other process')`); err != nil {
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

// A kept statement whose table changes shape answers with the new columns, as a fresh one would.
func TestSchemaChangesReachKeptStatements(t *testing.T) {
	db, plain := open(t)
	ctx := context.Background()
	c, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, q := range []string{`CREATE TABLE s (a, b)`, `INSERT INTO s VALUES (1, 2)`} {
		if _, err := plain.Exec(q); err != nil { // go-libsql runs one statement per call
			t.Fatal(err)
		}
	}
	read := func() string {
		t.Helper()
		rows, err := c.QueryContext(ctx, `SELECT * FROM s`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		out := fmt.Sprint(cols)
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out += fmt.Sprint(vals)
		}
		return out
	}
	if got := read(); got != "[a b][1 2]" {
		t.Fatalf("before: %s", got)
	}
	for _, step := range []struct{ sql, want string }{
		{`ALTER TABLE s ADD COLUMN c DEFAULT 3`, "[a b c][1 2 3]"},
		{`ALTER TABLE s RENAME COLUMN a TO z`, "[z b c][1 2 3]"},
		{`ALTER TABLE s DROP COLUMN b`, "[z c][1 3]"},
	} {
		if _, err := plain.Exec(step.sql); err != nil {
			t.Fatal(err)
		}
		if got := read(); got != step.want {
			t.Errorf("after %s: %s, want %s", step.sql, got, step.want)
		}
	}
}

func TestSQLThatCannotBeRunAsGivenIsRefused(t *testing.T) {
	db, plain := open(t)
	done := make(chan error, 1)
	go func() {
		_, err := db.Exec("SELECT 1;\x00")
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "NUL") {
			t.Errorf("SQL with a NUL byte: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("SQL with a NUL byte never returned")
	}
	// Arguments or results belong to one statement; nothing runs when there are more.
	_, err := db.Exec(`INSERT INTO t (name) VALUES (?); INSERT INTO t (name) VALUES ('second')`, "first")
	if err == nil || !strings.Contains(err.Error(), "several statements") {
		t.Errorf("arguments to two statements: %v", err)
	}
	if _, err := db.Query(`SELECT 1; DELETE FROM t`); err == nil || !strings.Contains(err.Error(), "several statements") {
		t.Errorf("a query of two statements: %v", err)
	}
	var n int
	if err := plain.QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d rows written by refused SQL (%v)", n, err)
	}
	// A trailing comment is not a second statement.
	if _, err := db.Exec(`INSERT INTO t (name) VALUES (?); -- done`, "one"); err != nil {
		t.Errorf("a statement with a trailing comment: %v", err)
	}
}

// Used without database/sql, a closed connection refuses work instead of touching freed memory,
// and a failed read does not start the query again.
func TestDirectUseIsSafe(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.db")
	c, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	r, err := c.QueryContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3)
SELECT CASE WHEN i = 3 THEN json('not json') ELSE i END FROM n`, nil)
	if err != nil {
		t.Fatal(err)
	}
	dest := make([]driver.Value, 1)
	var got []any
	var failed error
	for range 6 {
		if err := r.Next(dest); err != nil {
			failed = err
			break
		}
		got = append(got, dest[0])
	}
	if fmt.Sprint(got) != "[1 2]" || failed == nil || !strings.Contains(failed.Error(), "malformed JSON") {
		t.Errorf("read %v, then %v; want [1 2], then the JSON error", got, failed)
	}
	if err := r.Next(dest); err != failed {
		t.Errorf("Next after the failure: %v", err)
	}
	r.Close()
	open, err := c.QueryContext(ctx, `SELECT 1 UNION ALL SELECT 2`, nil)
	if err != nil {
		t.Fatal(err)
	}
	cols := open.Columns()
	cols[0] = "changed"
	if again := open.Columns(); again[0] == "changed" {
		t.Error("Columns hands out the statement's own slice")
	}
	c.Close()
	if err := open.Next(dest); err == nil {
		t.Error("Next on a closed connection read a row")
	}
	open.Close()
	if _, err := c.ExecContext(ctx, `SELECT 1`, nil); err != driver.ErrBadConn {
		t.Errorf("Exec on a closed connection: %v", err)
	}
	if _, err := c.QueryContext(ctx, `SELECT 1`, nil); err != driver.ErrBadConn {
		t.Errorf("Query on a closed connection: %v", err)
	}
}
