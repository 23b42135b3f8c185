package engine

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/tursodatabase/go-libsql"
)

// open returns two pools of this package on one new file with a table t: the one under test,
// with one connection so that its kept statements are reused, and another one, a second client
// of the file as another request or program would be.
func open(t *testing.T) (cached, other *sql.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "c.db")
	other = sql.OpenDB(Connector{Path: path})
	t.Cleanup(func() { other.Close() })
	if _, err := other.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, score REAL, data BLOB, note TEXT)`); err != nil {
		t.Fatal(err)
	}
	cached = sql.OpenDB(Connector{Path: path})
	cached.SetMaxOpenConns(1)
	t.Cleanup(func() { cached.Close() })
	return cached, other
}

// openConn returns one connection of this package's pool from open, closed when the test ends.
func openConn(t *testing.T) (*sql.Conn, context.Context) {
	t.Helper()
	cached, _ := open(t)
	ctx := context.Background()
	conn, err := cached.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn, ctx
}

// The file this package writes is a libSQL file go-libsql reads the same (the only test here
// that uses go-libsql: its Rust layer has a known crash on two-core machines, go-libsql#90).
func TestResultsMatchGoLibsql(t *testing.T) {
	cached, _ := open(t)
	var path string
	if err := cached.QueryRow(`SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&path); err != nil {
		t.Fatal(err)
	}
	plain, err := sql.Open("libsql", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	ctx := context.Background()
	for i, v := range []struct {
		name  string
		score float64
		data  []byte
		note  any
	}{{"ada", 1.5, []byte{0, 1, 2}, "plain text"}, {"bob", -2, nil, nil}, {"cy", 0, []byte{}, "2024-01-02"},
		{"ünï", 3.25, []byte{1, 2}, "ünïcødé"}} {
		res, err := cached.ExecContext(ctx, `INSERT INTO t (name, score, data, note) VALUES (?, ?, ?, ?)`, v.name, v.score, v.data, v.note)
		if err != nil {
			t.Fatal(err)
		}
		if id, _ := res.LastInsertId(); id != int64(i+1) {
			t.Errorf("insert %d: LastInsertId %d", i, id)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			t.Errorf("insert %d: RowsAffected %d", i, n)
		}
	}
	read := func(db *sql.DB) string {
		rows, err := db.QueryContext(ctx, `SELECT id, name, score, data, note, score > ? FROM t ORDER BY id`, true)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := ""
		for rows.Next() {
			var id int64
			var name string
			var score float64
			var data []byte
			var note sql.NullString
			var above bool
			if err := rows.Scan(&id, &name, &score, &data, &note, &above); err != nil {
				t.Fatal(err)
			}
			out += fmt.Sprintf("%d %s %g %v %v %v|", id, name, score, data, note, above)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	got, want := read(cached), read(plain)
	// go-libsql turns text that looks like a date into a time; this package keeps it as written.
	want = replaceOnce(want, "2024-01-02T00:00:00Z", "2024-01-02")
	if got != want {
		t.Errorf("cached read\n%s\nplain read\n%s", got, want)
	}
}

func replaceOnce(s, old, new string) string {
	for i := 0; i+len(old) <= len(s); i++ {
		if s[i:i+len(old)] == old {
			return s[:i] + new + s[i+len(old):]
		}
	}
	return s
}

func TestStatementsAreReusedSafely(t *testing.T) {
	cached, _ := open(t)
	ctx := context.Background()
	for i := range 50 {
		if _, err := cached.ExecContext(ctx, `INSERT INTO t (name, score) VALUES (?, ?)`, fmt.Sprint("p", i), float64(i)); err != nil {
			t.Fatal(err)
		}
	}
	// A failed statement leaves its cached statement usable.
	if _, err := cached.ExecContext(ctx, `INSERT INTO t (name, score) VALUES (?, ?)`, "p1", 0.0); err == nil {
		t.Fatal("a duplicate name was accepted")
	}
	if _, err := cached.ExecContext(ctx, `INSERT INTO t (name, score) VALUES (?, ?)`, "p50", 50.0); err != nil {
		t.Fatalf("the statement after a failure: %v", err)
	}
	// The same query again while its first result is still being read gets its own statement.
	conn, err := cached.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const q = `SELECT name FROM t WHERE score >= ? ORDER BY score LIMIT 3`
	outer, err := conn.QueryContext(ctx, q, 10.0)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for outer.Next() {
		var n string
		if err := outer.Scan(&n); err != nil {
			t.Fatal(err)
		}
		var inner string
		if err := conn.QueryRowContext(ctx, q, 40.0).Scan(&inner); err != nil || inner != "p40" {
			t.Fatalf("inner query = %q, %v", inner, err)
		}
		names = append(names, n)
	}
	outer.Close()
	if fmt.Sprint(names) != "[p10 p11 p12]" {
		t.Errorf("outer query read %v", names)
	}
	// Many uses of one statement with new arguments each time.
	for i := range 51 {
		var n string
		if err := conn.QueryRowContext(ctx, `SELECT name FROM t WHERE score = ?`, float64(i)).Scan(&n); err != nil || n != fmt.Sprint("p", i) {
			t.Fatalf("lookup %d = %q, %v", i, n, err)
		}
	}
}

// A result closed before its last row must not keep the connection's read snapshot open: the
// next query sees what another connection wrote since.
func TestClosingEarlyEndsTheRead(t *testing.T) {
	cached, other := open(t)
	ctx := context.Background()
	for i := range 3 {
		if _, err := other.ExecContext(ctx, `INSERT INTO t (name) VALUES (?)`, fmt.Sprint("r", i)); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := cached.QueryContext(ctx, `SELECT name FROM t ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	if !rows.Next() {
		t.Fatal("no first row")
	}
	rows.Close()
	if _, err := other.ExecContext(ctx, `INSERT INTO t (name) VALUES ('late')`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := cached.QueryRowContext(ctx, `SELECT count(*) FROM t`).Scan(&n); err != nil || n != 4 {
		t.Fatalf("count after another connection's insert = %d, %v; want 4", n, err)
	}
}

func TestCacheStaysBounded(t *testing.T) {
	conn, ctx := openConn(t)
	for i := range size + 50 {
		var v int64
		if err := conn.QueryRowContext(ctx, fmt.Sprintf(`SELECT %d + ?`, i), int64(1)).Scan(&v); err != nil || v != int64(i+1) {
			t.Fatalf("query %d = %d, %v", i, v, err)
		}
	}
	err := conn.Raw(func(dc any) error {
		c := dc.(*Conn)
		if len(c.stmts) > size {
			return fmt.Errorf("%d statements kept, at most %d wanted", len(c.stmts), size)
		}
		if _, ok := c.stmts[fmt.Sprintf(`SELECT %d + ?`, size+49)]; !ok {
			return fmt.Errorf("the newest statement is not kept")
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

// A reused statement given fewer arguments than it has positions sees NULL in the others, as
// a freshly prepared one would, never the previous call's values.
func TestLeftOutArgumentsAreNull(t *testing.T) {
	conn, ctx := openConn(t)
	const q = `SELECT coalesce(?, 'null') || '/' || coalesce(?, 'null')`
	var got string
	if err := conn.QueryRowContext(ctx, q, "a", "b").Scan(&got); err != nil || got != "a/b" {
		t.Fatalf("both arguments: %q, %v", got, err)
	}
	if err := conn.QueryRowContext(ctx, q, "c").Scan(&got); err != nil || got != "c/null" {
		t.Fatalf("one argument after two: %q, %v; want c/null", got, err)
	}
}

// Text arguments are read by the engine from the statement's own copy while its rows are read:
// other statements binding other text on the same connection, and the same statement bound
// again with text too big for its copy, change nothing for a result already open.
func TestBoundTextOutlivesOtherBinds(t *testing.T) {
	conn, ctx := openConn(t)
	for i := range 20 {
		if _, err := conn.ExecContext(ctx, `INSERT INTO t (name, note) VALUES (?, ?)`, fmt.Sprintf("n%02d", i), fmt.Sprint("group", i%2)); err != nil {
			t.Fatal(err)
		}
	}
	const q = `SELECT name FROM t WHERE note = ? AND name > ? ORDER BY name`
	rows, err := conn.QueryContext(ctx, q, "group0", "n")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	big := strings.Repeat("x", 1<<16)
	var got []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		got = append(got, n)
		// Short text first, so that a shared buffer would be overwritten in place.
		if _, err := conn.ExecContext(ctx, `INSERT INTO t (name, note) VALUES (?, ?)`, "m"+n, "group1"); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.ExecContext(ctx, `INSERT INTO t (name, note) VALUES (?, ?)`, big+n, "group1"); err != nil {
			t.Fatal(err)
		}
		var m string
		if err := conn.QueryRowContext(ctx, q, "group1", big).Scan(&m); err != nil || m != big+"n00" {
			t.Fatalf("the same query with other text read %.8q…, %v", m, err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if want := "[n00 n02 n04 n06 n08 n10 n12 n14 n16 n18]"; fmt.Sprint(got) != want {
		t.Fatalf("the open result read %v, want %s", got, want)
	}
}
