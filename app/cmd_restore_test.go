package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lobby restore puts a backup made by lobby backup in place: what was made after the backup is
// gone from the database (and kept in the file beside it), and the command says so.
func TestRestoreCommandPutsABackupBack(t *testing.T) {
	dir := t.TempDir()
	backup := filepath.Join(dir, "before.db")
	for _, args := range [][]string{
		{"org", "create", "--slug", "acme", "--name", "Acme"},
		{"backup", "--out", backup},
		{"org", "create", "--slug", "beta", "--name", "Beta"},
	} {
		if code, _, errOut := cliRun(t, dir, "", args...); code != 0 {
			t.Fatalf("%v: %s", args, errOut)
		}
	}
	code, out, errOut := cliRun(t, dir, "", "restore", "--from", backup)
	if code != 0 || !strings.Contains(out, "Restored "+backup+" as "+filepath.Join(dir, "lobby.db")) ||
		!strings.Contains(out, "The database it replaced is kept as "+filepath.Join(dir, "lobby.db.before-restore-")) {
		t.Fatalf("restore: %d\n%s%s", code, out, errOut)
	}
	// Beta was made after the backup: its slug is free again, and Acme's is not.
	if code, _, errOut := cliRun(t, dir, "", "org", "create", "--slug", "beta", "--name", "Beta"); code != 0 {
		t.Fatalf("beta after the restore: %s", errOut)
	}
	if code, _, _ := cliRun(t, dir, "", "org", "create", "--slug", "acme", "--name", "Acme"); code == 0 {
		t.Fatal("acme is missing after the restore")
	}
	kept, _ := filepath.Glob(filepath.Join(dir, "lobby.db.before-restore-*"))
	if len(kept) == 0 {
		t.Fatal("the replaced database was not kept")
	}
	if _, err := os.Stat(kept[0]); err != nil {
		t.Fatal(err)
	}
}
