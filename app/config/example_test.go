package config

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

const examplePath = "../../config.example.toml"

func TestExampleEqualsDefault(t *testing.T) {
	t.Parallel()
	c, err := Load(examplePath, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c, Default()) {
		t.Fatalf("config.example.toml differs from Default():\n--- example\n%s\n--- default\n%s", c.Dump(), Default().Dump())
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("the defaults do not validate: %v", err)
	}
}

var keyLine = regexp.MustCompile(`^(?:# )?([a-z_]+) = `)

// exampleKeys reads the example as text: every key line, uncommented or commented, under the
// table it appears in, and whether a comment line (not itself a key) sits right above it.
func exampleKeys(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(examplePath)
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	table := ""
	lines := strings.Split(string(b), "\n")
	for i, line := range lines {
		trimmed := strings.TrimPrefix(line, "# ")
		if strings.HasPrefix(trimmed, "[") {
			table = strings.Trim(trimmed, "[]")
			continue
		}
		m := keyLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		above := ""
		if i > 0 {
			above = lines[i-1]
		}
		doc := strings.HasPrefix(above, "#") && !keyLine.MatchString(above) && len(strings.TrimLeft(above, "# ")) > 10
		documented[table+"."+m[1]] = doc
	}
	return documented
}

func TestExampleDocumentsEveryKey(t *testing.T) {
	t.Parallel()
	got := exampleKeys(t)
	keys := Keys()
	if len(keys) < 40 {
		t.Fatalf("Keys() lists only %d keys", len(keys))
	}
	for _, k := range keys {
		doc, ok := got[k]
		switch {
		case !ok:
			t.Errorf("config.example.toml does not mention %s", k)
		case !doc:
			t.Errorf("config.example.toml has no comment line right above %s", k)
		}
	}
	for k := range got {
		if !strings.Contains(strings.Join(keys, " ")+" ", k+" ") {
			t.Errorf("config.example.toml mentions %s, which is not a setting", k)
		}
	}
}

func TestExampleProviderParses(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(examplePath)
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(b), "# [[oidc.providers]]")
	if !ok {
		t.Fatal("no [[oidc.providers]] example")
	}
	var out strings.Builder
	out.WriteString("[[oidc.providers]]\n")
	for line := range strings.SplitSeq(block, "\n") {
		line = strings.TrimPrefix(line, "# ")
		if strings.HasPrefix(line, "client_secret = ") {
			continue // the example shows both ways; only one may be set
		}
		out.WriteString(line + "\n")
	}
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	if err := os.WriteFile(secret, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(out.String(), "/run/secrets/acme-oidc", secret, 1)
	path := filepath.Join(dir, "lobby.toml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path, nil)
	if err != nil {
		t.Fatalf("uncommented example provider: %v\n%s", err, text)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("uncommented example provider does not validate: %v", err)
	}
	p := c.OIDC.Providers[0]
	if p.ID != "acme" || p.ClientSecret != "s3cret" || len(p.AllowedDomains) != 1 {
		t.Fatalf("got %+v", p)
	}
}
