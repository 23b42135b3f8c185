package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migration is one numbered schema step.
type migration struct {
	Version int
	Name    string
	SQL     string
}

// file is the migration's file name.
func (m migration) file() string { return fmt.Sprintf("%04d_%s.sql", m.Version, m.Name) }

// embeddedMigrations lists the embedded migrations in order.
func embeddedMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s is not named NNNN_name.sql", e.Name())
		}
		body, err := migrations.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{Version: v, Name: name, SQL: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// Version returns the newest applied migration, 0 for an empty database.
func (db *DB) Version(ctx context.Context) (int, error) {
	if _, err := db.W.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`); err != nil {
		return 0, err
	}
	var v int
	err := db.W.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// ErrTooNew is returned by Migrate when the database was written by a newer Lobby.
type ErrTooNew struct{ Database, Binary int }

func (e ErrTooNew) Error() string {
	return fmt.Sprintf("the database is at schema version %d but this Lobby knows only up to %d: run a newer Lobby, or restore a backup", e.Database, e.Binary)
}

// Migrate applies every migration newer than the database, each in its own transaction, and
// returns how many it applied. It refuses a database newer than the binary.
func (db *DB) Migrate(ctx context.Context) (applied int, err error) {
	all, err := embeddedMigrations()
	if err != nil {
		return 0, err
	}
	cur, err := db.Version(ctx)
	if err != nil {
		return 0, err
	}
	latest := all[len(all)-1].Version
	if cur > latest {
		return 0, ErrTooNew{Database: cur, Binary: latest}
	}
	reached, start := cur, time.Now()
	defer func() {
		took := time.Since(start).Round(time.Millisecond)
		switch {
		case err != nil:
			db.log.Error("The database upgrade stopped part-way; the steps before it are kept.", "from_version", cur,
				"at_version", reached, "migrations", applied, "took", took, "err", err)
		case applied == 0:
		case cur == 0:
			db.log.Info("Created the database's tables.", "version", reached, "took", took)
		default:
			db.log.Info("Upgraded the database.", "from_version", cur, "to_version", reached, "migrations", applied, "took", took)
		}
	}()
	for _, m := range all {
		if m.Version <= cur {
			continue
		}
		err := db.Tx(ctx, func(q Q) error {
			for _, stmt := range splitStatements(m.SQL) {
				if _, err := q.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
				}
			}
			_, err := q.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.Version, m.Name, time.Now().UnixMilli())
			return err
		})
		if err != nil {
			return applied, err
		}
		applied, reached = applied+1, m.Version
	}
	return applied, nil
}

// splitStatements cuts a migration into statements: go-libsql (remote databases) runs only the first
// statement of a multi-statement string. Statements end with ";" at the end of a line; "--" comments go.
func splitStatements(src string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(src, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(t, ";") {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}
