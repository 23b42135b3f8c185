package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// Restore puts a copy of the backup file from in place of the local database at path, and
// keeps the database it replaces, with its log files, as path + ".before-restore-<time>": a
// restore loses nothing. It refuses while a process has the database open (ErrInUse), and a
// file that is not a whole Lobby database or was written by a newer Lobby. The old log files
// never stay next to the restored file: SQLite would replay the old database's log onto it.
// It returns where the replaced database was kept, "" when there was none.
func Restore(ctx context.Context, path, from string, now time.Time) (kept string, err error) {
	if same, err := sameFile(path, from); err != nil || same {
		if err == nil {
			err = fmt.Errorf("%s is the database itself; restore from a backup made with lobby backup", from)
		}
		return "", err
	}
	if busy, err := inUse(path); err != nil || busy {
		if err == nil {
			err = ErrInUse
		}
		return "", err
	}
	tmp := path + ".restoring"
	if err := copyNew(from, tmp); err != nil {
		return "", err
	}
	defer removeDatabase(tmp) // gone once renamed; else nothing of it stays
	if err := checkBackup(ctx, tmp, from); err != nil {
		return "", err
	}
	if _, err := os.Stat(path); err == nil {
		kept = path + ".before-restore-" + now.UTC().Format("20060102-150405")
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Rename(path+suffix, kept+suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return "", fmt.Errorf("cannot keep the current database aside: %w", err)
			}
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return kept, fmt.Errorf("cannot put the copy in place (the database it replaces is %s): %w", kept, err)
	}
	return kept, syncDir(filepath.Dir(path))
}

// ErrInUse is returned by Restore while a process has the database open.
var ErrInUse = errors.New("a Lobby process has this database open: stop it first (and every other process using this database)")

// checkBackup opens the copy at tmp of the file from: it must be a whole database (SQLite's
// integrity check), made by Lobby, and not newer than this binary. Opening it converts it to
// the log mode Lobby uses; closing it folds the log back in.
func checkBackup(ctx context.Context, tmp, from string) error {
	db, err := Open(ctx, tmp, Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("%s cannot be read as a database: %w", from, err)
	}
	defer db.Close()
	var check string
	if err := db.R.QueryRowContext(ctx, `PRAGMA integrity_check(1)`).Scan(&check); err != nil || check != "ok" {
		return fmt.Errorf("%s is not a whole database (%s%v); use another backup", from, check, errOr(err))
	}
	var tables int
	if err := db.R.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE name = 'schema_migrations'`).Scan(&tables); err != nil || tables == 0 {
		return fmt.Errorf("%s is a database, but not one Lobby wrote; restore from a file made with lobby backup", from)
	}
	all, err := embeddedMigrations()
	if err != nil {
		return err
	}
	v, err := db.Version(ctx)
	if err != nil {
		return err
	}
	if latest := all[len(all)-1].Version; v > latest {
		return fmt.Errorf("%s: %w", from, ErrTooNew{Database: v, Binary: latest})
	}
	return nil
}

func errOr(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// copyNew copies the file from to a new file to, readable by its owner and group only, as the
// database is, and makes it durable.
func copyNew(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return fmt.Errorf("cannot read the backup: %w", err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s exists: an earlier restore stopped part-way; remove it and try again", to)
	}
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(to)
		return fmt.Errorf("cannot copy the backup: %w", err)
	}
	return nil
}

// removeDatabase removes a database file and its log files, if they are there.
func removeDatabase(path string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		_ = os.Remove(path + suffix)
	}
}

// sameFile reports whether a and b are one file (b must exist; a need not).
func sameFile(a, b string) (bool, error) {
	fb, err := os.Stat(b)
	if err != nil {
		return false, fmt.Errorf("cannot read the backup: %w", err)
	}
	fa, err := os.Stat(a)
	if err != nil {
		return false, nil
	}
	return os.SameFile(fa, fb), nil
}

// syncDir makes the renames in a folder durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
