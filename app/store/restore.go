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
// keeps the database it replaces as path + ".before-restore-<time>": a restore loses nothing.
// It refuses while a process has the database open (ErrInUse), and a file that is not a whole
// Lobby database or was written by a newer Lobby. The database it replaces is first folded
// into one file (its log written in), so that one rename moves all of it; where that cannot
// be done, its log files move with it. A log never stays next to the restored file: SQLite
// would replay the old database's log onto it. It returns where the replaced database was
// kept, "" when there was none.
func Restore(ctx context.Context, path, from string, now time.Time) (kept string, err error) {
	if same, err := sameFile(path, from); err != nil || same {
		if err == nil {
			err = fmt.Errorf("%s is the database itself; restore from a backup made with lobby backup", from)
		}
		return "", err
	}
	if err := notInUse(path); err != nil {
		return "", err
	}
	tmp := path + ".restoring"
	if err := copyNew(from, tmp, path); err != nil {
		return "", err
	}
	defer removeDatabase(tmp) // gone once renamed; else nothing of it stays
	if err := checkBackup(ctx, tmp, from); err != nil {
		return "", err
	}
	if exists(path) {
		foldLog(ctx, path)
	}
	// Checked again: copying and checking a large backup takes a while, and a Lobby started
	// meanwhile must not lose what it writes.
	if err := notInUse(path); err != nil {
		return "", err
	}
	if kept, err = keepAside(path, now); err != nil {
		return kept, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return kept, fmt.Errorf("cannot put the copy in place (the database it replaces is kept as %s): %w", kept, err)
	}
	return kept, syncDir(filepath.Dir(path))
}

// notInUse is ErrInUse, naming the file, while a process has the database at path open.
func notInUse(path string) error {
	busy, err := inUse(path)
	if err == nil && busy {
		err = fmt.Errorf("%s: %w", path, ErrInUse)
	}
	return err
}

// foldLog opens and closes the database at path, which writes its log into the file and
// removes the log: the database is then one file. A database that cannot be opened keeps its
// log files, which keepAside moves with it.
func foldLog(ctx context.Context, path string) {
	if db, err := Open(ctx, path, Options{Logger: slog.New(slog.DiscardHandler)}); err == nil {
		db.Close()
	}
}

// keepAside moves the database at path and any log files beside it (also without it) to a
// name of their own, never over an earlier one, and returns that name ("" when there was
// nothing). A move that fails puts back what had moved.
func keepAside(path string, now time.Time) (string, error) {
	suffixes := []string{"", "-wal", "-shm"}
	var present []string
	for _, s := range suffixes {
		if exists(path + s) {
			present = append(present, s)
		}
	}
	if len(present) == 0 {
		return "", nil
	}
	base := path + ".before-restore-" + now.UTC().Format("20060102-150405")
	kept := base
	for n := 2; ; n++ {
		free := true
		for _, s := range suffixes {
			free = free && !exists(kept+s)
		}
		if free {
			break
		}
		kept = fmt.Sprintf("%s-%d", base, n)
	}
	for i, s := range present {
		if err := os.Rename(path+s, kept+s); err != nil {
			for _, back := range present[:i] {
				_ = os.Rename(kept+back, path+back)
			}
			return "", fmt.Errorf("cannot keep the current database aside as %s (nothing was changed): %w", kept, err)
		}
	}
	return kept, nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
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
	if err := db.R.QueryRowContext(ctx, `PRAGMA integrity_check(1)`).Scan(&check); err != nil {
		return fmt.Errorf("%s is not a whole database (%w); use another backup", from, err)
	}
	if check != "ok" {
		return fmt.Errorf("%s is not a whole database (%s); use another backup", from, check)
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

// copyNew copies the file from (and a log beside it, which the check then writes in) to a new
// file to, with the mode and owner of the database it will replace (readable by its owner and
// group only when there is none), and makes it durable.
func copyNew(from, to, replaces string) error {
	if err := copyFile(from, to, replaces); err != nil {
		_ = os.Remove(to)
		return err
	}
	if fi, err := os.Stat(from + "-wal"); err == nil && fi.Size() > 0 {
		if err := copyFile(from+"-wal", to+"-wal", replaces); err != nil {
			removeDatabase(to)
			return err
		}
	}
	return nil
}

func copyFile(from, to, replaces string) error {
	in, err := os.Open(from)
	if err != nil {
		return fmt.Errorf("cannot read the backup: %w", err)
	}
	defer in.Close()
	mode := fs.FileMode(0o640)
	old, oldErr := os.Stat(replaces)
	if oldErr == nil {
		mode = old.Mode().Perm()
	}
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s exists: an earlier restore stopped part-way; remove it and try again", to)
	}
	if err != nil {
		return err
	}
	if oldErr == nil {
		sameOwner(out, old) // so that Lobby's own user can still write it when root restores
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
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
