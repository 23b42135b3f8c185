package app

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// makeUnwritable makes the file impossible to write, even for root: immutable (chattr +i) when
// the tests run as root, who ignores file modes, else read-only. The test skips, saying why,
// only when neither works here.
func makeUnwritable(t *testing.T, path string) {
	t.Helper()
	if os.Geteuid() != 0 {
		if err := os.Chmod(path, 0o400); err != nil {
			t.Fatal(err)
		}
		return
	}
	chattr, err := exec.LookPath("chattr")
	if err != nil {
		t.Skip("running as root without chattr: cannot make the database file unwritable here")
	}
	if out, err := exec.Command(chattr, "+i", path).CombinedOutput(); err != nil {
		t.Skipf("running as root and the temporary folder's filesystem refuses chattr +i (%v: %s): "+
			"cannot make the database file unwritable here", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command(chattr, "-i", path).CombinedOutput(); err != nil {
			t.Errorf("chattr -i %s: %v: %s", path, err, out)
		}
	})
	// Root must really be refused now, or the test would prove nothing.
	if f, err := os.OpenFile(path, os.O_RDWR, 0); err == nil {
		f.Close()
		t.Fatalf("%s is still writable after chattr +i", path)
	}
}

// A database file Lobby cannot write to stops `lobby migrate` and `lobby serve` at once with a
// non-zero exit and a message that says so and names the file, rather than an engine error.
func TestUnwritableDatabaseFileIsRefusedAtStart(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := cliRun(t, dir, "", "migrate"); code != 0 {
		t.Fatalf("first migrate: exit %d: %s", code, errOut)
	}
	path := filepath.Join(dir, "lobby.db")
	makeUnwritable(t, path)
	want := "the database file " + path + " cannot be opened for writing"
	for _, command := range []string{"migrate", "serve"} {
		type result struct {
			code   int
			stderr string
		}
		done := make(chan result, 1)
		go func() {
			code, _, errOut := cliRun(t, dir, "", command)
			done <- result{code, errOut}
		}()
		select {
		case r := <-done:
			if r.code == 0 || !strings.Contains(r.stderr, "lobby "+command+": "+want) {
				t.Errorf("lobby %s on an unwritable database: exit %d, stderr %q; want a non-zero exit and %q",
					command, r.code, r.stderr, want)
			}
		case <-time.After(20 * time.Second):
			// It started on a file it cannot write; it is left running until the test binary ends.
			t.Fatalf("lobby %s was still running 20 s after starting on an unwritable database", command)
		}
	}
}
