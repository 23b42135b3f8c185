package store_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lobby/lobby/app/store"
)

var quietLog = slog.New(slog.DiscardHandler)

// openAt opens and migrates the database at path.
func openAt(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), path, store.Options{Logger: quietLog})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// addOrg inserts an organization with the slug.
func addOrg(t *testing.T, db *store.DB, slug string) {
	t.Helper()
	if _, err := db.W.Exec(`INSERT INTO organizations (id, slug, name, invite_ttl_ms, created_at) VALUES (?, ?, ?, 1, 1)`,
		store.NewID(), slug, slug); err != nil {
		t.Fatal(err)
	}
}

// orgSlugs lists the organizations of the database at path.
func orgSlugs(t *testing.T, path string) string {
	t.Helper()
	db := openAt(t, path)
	defer db.Close()
	got := texts(t, db, `SELECT slug FROM organizations ORDER BY slug`)
	return strings.Join(got, ",")
}

// checkpoint writes the log of an open database into its file and empties the log.
func checkpoint(t *testing.T, db *store.DB) {
	t.Helper()
	rows, err := db.W.Query(`PRAGMA wal_checkpoint(TRUNCATE)`)
	if err != nil {
		t.Fatal(err)
	}
	rows.Close()
}

// killedWithLog leaves at path a database whose file holds "before" and whose log alone holds
// "after", as a process killed after that last write leaves it, and a backup of "before".
func killedWithLog(t *testing.T, path, backup string) {
	t.Helper()
	db := openAt(t, path)
	addOrg(t, db, "before")
	if err := db.Backup(context.Background(), backup, func(s string) string { return s }); err != nil {
		t.Fatal(err)
	}
	checkpoint(t, db)
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	addOrg(t, db, "after")
	log, err := os.ReadFile(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := os.WriteFile(path, file, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+"-wal", log, 0o640); err != nil {
		t.Fatal(err)
	}
}

// A restore puts the backup in place and keeps the database it replaces, whole. The replaced
// database's last write is only in its log here (its process was killed): it must be in what
// is kept, and must not reach the restored file, onto which SQLite would replay a log left
// beside it.
func TestRestorePutsTheBackupInPlaceAndKeepsWhatItReplaces(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path, backup := filepath.Join(dir, "lobby.db"), filepath.Join(dir, "backup.db")
	killedWithLog(t, path, backup)
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}

	at := time.Date(2026, 12, 5, 18, 30, 0, 0, time.UTC)
	kept, err := store.Restore(ctx, path, backup, at)
	if err != nil {
		t.Fatal(err)
	}
	if want := path + ".before-restore-20261205-183000"; kept != want {
		t.Fatalf("kept as %q, want %q", kept, want)
	}
	for _, leftover := range []string{path + ".restoring", path + "-wal", path + "-shm"} {
		if _, err := os.Stat(leftover); err == nil {
			t.Errorf("%s is left next to the restored database", filepath.Base(leftover))
		}
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the restored file's mode: %v %v, want the replaced file's 0600", fi.Mode(), err)
	}
	if got := orgSlugs(t, path); got != "before" {
		t.Fatalf("the restored database holds %q, want the backup's \"before\"", got)
	}
	// Kept whole: a copy of the kept file alone (as anyone would copy it) still has the write
	// that was only in the log.
	alone := filepath.Join(t.TempDir(), "alone.db")
	b, err := os.ReadFile(kept)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(alone, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if got := orgSlugs(t, alone); got != "after,before" {
		t.Fatalf("the database kept aside holds %q, want both organizations", got)
	}

	// Restoring again in the same second keeps the first kept file: a second name is taken.
	again, err := store.Restore(ctx, path, backup, at)
	if err != nil || again == kept || !strings.HasPrefix(again, kept) {
		t.Fatalf("a second restore in the same second kept %q (first %q): %v", again, kept, err)
	}
	if got := orgSlugs(t, kept); got != "after,before" {
		t.Fatalf("the first kept database now holds %q", got)
	}
}

// A log without its database (a file moved by hand) is moved aside too, never replayed onto
// the restored copy; and the kept database with a log can be restored back, log included.
func TestRestoreMovesAStrayLogAndRestoresAKeptDatabaseWithItsLog(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path, backup := filepath.Join(dir, "lobby.db"), filepath.Join(dir, "backup.db")
	killedWithLog(t, path, backup)
	moved := filepath.Join(dir, "moved.db")
	if err := os.Rename(path, moved); err != nil {
		t.Fatal(err)
	}
	kept, err := store.Restore(ctx, path, backup, time.Now())
	if err != nil || kept == "" {
		t.Fatalf("restore beside a stray log: kept %q, %v", kept, err)
	}
	if _, err := os.Stat(kept + "-wal"); err != nil {
		t.Fatalf("the stray log was not kept aside: %v", err)
	}
	if got := orgSlugs(t, path); got != "before" {
		t.Fatalf("the restored database holds %q", got)
	}
	// Undo: the moved database and its log (still kept as kept-wal) go back in place.
	if err := os.Rename(kept+"-wal", moved+"-wal"); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Restore(ctx, path, moved, time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := orgSlugs(t, path); got != "after,before" {
		t.Fatalf("restored from a database with its log: %q, want both organizations", got)
	}
}

// A restore refuses what it cannot put in place whole: the database itself, a file that is
// no database, one Lobby did not write, and one a newer Lobby wrote; the database stays.
func TestRestoreRefusesWhatIsNoBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "lobby.db")
	db := openAt(t, path)
	addOrg(t, db, "live")
	if err := db.Backup(ctx, filepath.Join(dir, "newer.db"), func(s string) string { return s }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	newer := openAt(t, filepath.Join(dir, "newer.db"))
	if _, err := newer.W.Exec(`INSERT INTO schema_migrations VALUES (9999, 'future', 0)`); err != nil {
		t.Fatal(err)
	}
	newer.Close()
	other := filepath.Join(dir, "other.db")
	o, err := store.Open(ctx, other, store.Options{Logger: quietLog})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.W.Exec(`CREATE TABLE notes (body TEXT)`); err != nil {
		t.Fatal(err)
	}
	o.Close()
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte(strings.Repeat("not a database\n", 500)), 0o600); err != nil {
		t.Fatal(err)
	}
	for from, want := range map[string]string{
		path:                           "is the database itself",
		text:                           "cannot be read as a database",
		other:                          "not one Lobby wrote",
		filepath.Join(dir, "newer.db"): "this Lobby knows only up to",
		filepath.Join(dir, "gone.db"):  "cannot read the backup",
	} {
		if _, err := store.Restore(ctx, path, from, time.Now()); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("restore from %s: %v, want %q", filepath.Base(from), err, want)
		}
	}
	if got := orgSlugs(t, path); got != "live" {
		t.Fatalf("after refusals the database holds %q", got)
	}
	if matches, _ := filepath.Glob(path + ".*"); len(matches) != 0 {
		t.Fatalf("refused restores left %v", matches)
	}
}

// A restore refuses while another process has the database open (a running Lobby), and
// goes ahead once it has closed it.
func TestRestoreRefusesWhileAProcessHasTheDatabaseOpen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path, backup := filepath.Join(dir, "lobby.db"), filepath.Join(dir, "backup.db")
	db := openAt(t, path)
	if err := db.Backup(ctx, backup, func(s string) string { return s }); err != nil {
		t.Fatal(err)
	}
	db.Close()

	child := exec.Command(os.Args[0], "-test.run=^TestHoldTheDatabaseOpen$")
	child.Env = append(os.Environ(), "LOBBY_HOLD_DB="+path)
	stdin, _ := child.StdinPipe()
	stdout, _ := child.StdoutPipe()
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "open\n" {
		t.Fatalf("the child process: %q %v", line, err)
	}
	_, err = store.Restore(ctx, path, backup, time.Now())
	if !errors.Is(err, store.ErrInUse) {
		t.Fatalf("restore while another process has it open: %v", err)
	}
	stdin.Close()
	if err := child.Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Restore(ctx, path, backup, time.Now()); err != nil {
		t.Fatalf("restore once it closed: %v", err)
	}
}

// TestHoldTheDatabaseOpen is the child process of the test above: it opens the database named
// by LOBBY_HOLD_DB, says so, and keeps it open until its standard input closes.
func TestHoldTheDatabaseOpen(t *testing.T) {
	path := os.Getenv("LOBBY_HOLD_DB")
	if path == "" {
		t.Skip("runs only as the child process of TestRestoreRefusesWhileAProcessHasTheDatabaseOpen")
	}
	db := openAt(t, path)
	defer db.Close()
	var n int
	if err := db.R.QueryRow(`SELECT count(*) FROM organizations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	fmt.Println("open")
	_, _ = io.Copy(io.Discard, os.Stdin)
}
