package engine

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A kept statement whose table changes shape answers with the new columns, as a fresh one would.
func TestSchemaChangesReachKeptStatements(t *testing.T) {
	db, other := open(t)
	ctx := context.Background()
	c, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, q := range []string{`CREATE TABLE s (a, b)`, `INSERT INTO s VALUES (1, 2)`} {
		if _, err := other.Exec(q); err != nil { // one statement per call, as a client sends them
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
		if _, err := other.Exec(step.sql); err != nil {
			t.Fatal(err)
		}
		if got := read(); got != step.want {
			t.Errorf("after %s: %s, want %s", step.sql, got, step.want)
		}
	}
}

func TestSQLThatCannotBeRunAsGivenIsRefused(t *testing.T) {
	db, other := open(t)
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
	if err := other.QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil || n != 0 {
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
	if s := open.(*rows).s; s != nil && s.cells != nil {
		t.Error("the statement the closed connection freed still holds cells that point into the engine's freed memory")
	}
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

// A row read after a schema change left the statement with fewer columns reads only those the
// row has: asking the engine for the others would leave "column index out of range" as the
// connection's message.
func TestAReadAfterAColumnIsDroppedLeavesNoError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.db")
	other := sql.OpenDB(Connector{Path: path})
	defer other.Close()
	if _, err := other.Exec(`CREATE TABLE s (a, b, c); INSERT INTO s VALUES (1, 2, 3)`); err != nil {
		t.Fatal(err)
	}
	c, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// read reads the row, and the connection's message while the result is open (closing it
	// resets the statement, which clears the message).
	read := func() (row []driver.Value, message string) {
		t.Helper()
		r, err := c.QueryContext(context.Background(), `SELECT * FROM s`, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		dest := make([]driver.Value, len(r.Columns()))
		if err := r.Next(dest); err != nil {
			t.Fatal(err)
		}
		return dest, c.message()
	}
	read() // the statement is kept, with three columns
	if _, err := other.Exec(`ALTER TABLE s DROP COLUMN c`); err != nil {
		t.Fatal(err)
	}
	row, message := read()
	if got := fmt.Sprint(row); got != "[1 2]" {
		t.Errorf("after the drop the row read %s, want [1 2]", got)
	}
	// The engine's own re-prepare leaves "database schema has changed" there; the read must
	// add nothing of its own.
	if strings.Contains(message, "out of range") {
		t.Errorf("the read left the message %q on the connection", message)
	}
}
