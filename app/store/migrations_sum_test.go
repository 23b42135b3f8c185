package store

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

// TestReleasedMigrationsNeverChange: a database records only the number of each migration it
// applied, so an edit to a migration that has been released never reaches the databases that
// applied it; they keep the old schema, or miss the fix, for good. migrations/SHA256SUMS holds
// the hash of every migration (`sha256sum *.sql` in that folder): a change goes in a new
// migration, whose line is then added there.
func TestReleasedMigrationsNeverChange(t *testing.T) {
	b, err := os.ReadFile("migrations/SHA256SUMS")
	if err != nil {
		t.Fatal(err)
	}
	sums := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("SHA256SUMS: %q is not `hash  name`", line)
		}
		sums[name] = sum
	}
	all, err := embeddedMigrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range all {
		name := m.file()
		h := sha256.Sum256([]byte(m.SQL))
		switch want, ok := sums[name]; {
		case !ok:
			t.Errorf("%s is not in migrations/SHA256SUMS: add its line (cd app/store/migrations && sha256sum %s >> SHA256SUMS)", name, name)
		case want != hex.EncodeToString(h[:]):
			t.Errorf("%s has changed since it was released: databases that applied it will never see the change. "+
				"Restore it and make the change in a new migration", name)
		}
		delete(sums, name)
	}
	for name := range sums {
		t.Errorf("SHA256SUMS names %s, which is not a migration: a released migration must stay", name)
	}
}
