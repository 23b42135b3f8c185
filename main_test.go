package main

import (
	"bytes"
	"context"
	"database/sql"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/mail"
	"github.com/lobby/lobby/app/store/engine"
)

// cli runs one command line in a fresh data folder and returns exit code, stdout, stderr.
func cli(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestCommandLine(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{
		"LOBBY_DATABASE_URL": "file:" + filepath.Join(dir, "lobby.db"),
		"LOBBY_MAIL_DIR":     filepath.Join(dir, "mail"),
		"LOBBY_LOG_LEVEL":    "error",
	}
	steps := []struct {
		name   string
		env    map[string]string
		stdin  string
		args   []string
		code   int
		out    string // stdout must contain
		errOut string // stderr must contain
	}{
		{"version", nil, "", []string{"version"}, 0, "lobby ", ""},
		{"unknown command", nil, "", []string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{"--version", nil, "", []string{"--version"}, 0, "lobby ", ""},
		{"unknown command with flags", nil, "", []string{"org", "delete", "--slug", "acme"}, 2, "", `unknown command "org delete"` + "\n"},
		{"no database yet", nil, "", []string{"token", "create", "--org", "acme", "--name", "x"}, 1, "", "there is no database at " + filepath.Join(dir, "lobby.db")},
		{"migrate", nil, "", []string{"migrate"}, 0, "the database is at version ", ""},
		{"migrate again", nil, "", []string{"migrate"}, 0, "Applied 0 migrations", ""},
		{"org create needs flags", nil, "", []string{"org", "create", "--slug", "acme"}, 2, "", "--name is required"},
		{"org create", nil, "", []string{"org", "create", "--slug", "acme", "--name", "Acme Inc"}, 0, `Created the organization "Acme Inc" (acme)`, ""},
		{"org create twice", nil, "", []string{"org", "create", "--slug", "acme", "--name", "Again"}, 1, "", "already exists"},
		{"admin without password", nil, "", []string{"admin", "create", "--org", "acme", "--email", "a@acme.test", "--name", "A"}, 2, "", "LOBBY_ADMIN_PASSWORD"},
		{"admin short password", map[string]string{"LOBBY_ADMIN_PASSWORD": "short"}, "", []string{"admin", "create", "--org", "acme", "--email", "a@acme.test", "--name", "A"}, 1, "", "LOBBY_ADMIN_PASSWORD or standard input: password must be at least 8"},
		{"admin shorter than the instance asks", map[string]string{"LOBBY_ADMIN_PASSWORD": "eleven char", "LOBBY_SECURITY_PASSWORD_MIN_LENGTH": "12"}, "", []string{"admin", "create", "--org", "acme", "--email", "a@acme.test", "--name", "A"}, 1, "", "LOBBY_ADMIN_PASSWORD or standard input: password must be at least 12 characters"},
		{"admin from stdin", nil, "a long enough password\n", []string{"admin", "create", "--org", "acme", "--email", "Ada@Acme.test", "--name", "Ada", "--password-stdin"}, 0, "ada@acme.test is now an owner of Acme Inc", ""},
		{"admin who has an account", map[string]string{"LOBBY_ADMIN_PASSWORD": "another long password"}, "", []string{"org", "create", "--slug", "beta", "--name", "Beta"}, 0, "", ""},
		{"admin of a second organization", map[string]string{"LOBBY_ADMIN_PASSWORD": "another long password"}, "", []string{"admin", "create", "--org", "beta", "--email", "ada@acme.test", "--name", "Ada"}, 0, "the password given here was not used", ""},
		{"admin unknown org", map[string]string{"LOBBY_ADMIN_PASSWORD": "a long enough password"}, "", []string{"admin", "create", "--org", "nope", "--email", "b@acme.test", "--name", "B"}, 1, "", `no organization with the slug "nope" in the database `},
		{"token create", nil, "", []string{"token", "create", "--org", "acme", "--name", "ci", "--kind", "api"}, 0, "lba_", ""},
		{"token bad kind", nil, "", []string{"token", "create", "--org", "acme", "--name", "x", "--kind", "root"}, 1, "", "api or scim"},
		{"token for 30 days", nil, "", []string{"token", "create", "--org", "acme", "--name", "month", "--kind", "scim", "--expires-in", "30d"}, 0, "it works until ", ""},
		{"token for too long", nil, "", []string{"token", "create", "--org", "acme", "--name", "x", "--expires-in", "5000d"}, 2, "", "1 hour to 3 years"},
		{"jobs run expire", nil, "", []string{"jobs", "run", "expire"}, 0, "expire: ok", ""},
		{"jobs run unknown", nil, "", []string{"jobs", "run", "nap"}, 1, "", "expire"},
		{"config dump masks secrets", map[string]string{"LOBBY_MAIL_SMTP_PASSWORD": "hunter22"}, "", []string{"config", "dump"}, 0, "********", ""},
		{"bad config", map[string]string{"LOBBY_SERVER_BASE_URL": "not a url"}, "", []string{"migrate"}, 1, "", "server.base_url"},
		{"backup", nil, "", []string{"backup", "--out", filepath.Join(dir, "copy.db")}, 0, "consistent copy", ""},
		{"backup refuses to overwrite", nil, "", []string{"backup", "--out", filepath.Join(dir, "copy.db")}, 1, "", "exists already"},
	}
	for _, s := range steps {
		merged := map[string]string{}
		for k, v := range env {
			merged[k] = v
		}
		for k, v := range s.env {
			merged[k] = v
		}
		code, out, errOut := cli(t, merged, s.stdin, s.args...)
		if code != s.code || !strings.Contains(out, s.out) || !strings.Contains(errOut, s.errOut) {
			t.Errorf("%s: exit %d (want %d)\nstdout: %s\nstderr: %s", s.name, code, s.code, out, errOut)
		}
		for k := range s.env {
			os.Unsetenv(k)
		}
		if s.name == "token create" || s.name == "token for 30 days" {
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if last := lines[len(lines)-1]; !(strings.HasPrefix(last, "lba_") || strings.HasPrefix(last, "lbs_")) || strings.Contains(last, " ") {
				t.Errorf("the token is not alone on the last line: %q", last)
			}
		}
		if s.name == "config dump masks secrets" && strings.Contains(out, "hunter22") {
			t.Error("config dump printed a secret")
		}
	}
	// The backup is not readable by others, as the database is not.
	if st, err := os.Stat(filepath.Join(dir, "copy.db")); err != nil || st.Mode().Perm()&0o007 != 0 {
		t.Fatalf("backup file: %v, %v", st.Mode(), err)
	}
	// The backup is a working database with the organization in it.
	code, out, _ := cli(t, map[string]string{"LOBBY_DATABASE_URL": "file:" + filepath.Join(dir, "copy.db")}, "", "token", "create", "--org", "acme", "--name", "from-backup")
	if code != 0 || !strings.Contains(out, "Acme Inc") {
		t.Fatalf("backup copy: %d %s", code, out)
	}
}

// A database locked by another program makes Lobby say so and exit non-zero.
func TestLockedDatabaseIsExplained(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "lobby.db")
	env := map[string]string{"LOBBY_DATABASE_URL": "file:" + path, "LOBBY_DATABASE_BUSY_TIMEOUT": "300ms", "LOBBY_LOG_LEVEL": "error"}
	if code, _, errOut := cli(t, env, "", "migrate"); code != 0 {
		t.Fatal(errOut)
	}
	holder := sql.OpenDB(engine.Connector{Path: path}) // "another program" holding the lock
	defer holder.Close()
	conn, err := holder.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if rows, err := conn.QueryContext(context.Background(), "PRAGMA busy_timeout = 5000"); err == nil {
		rows.Close()
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(context.Background(), "ROLLBACK")
	code, _, errOut := cli(t, env, "", "org", "create", "--slug", "late", "--name", "Late")
	if code == 0 || !strings.Contains(errOut, "locked") {
		t.Fatalf("exit %d, stderr: %s", code, errOut)
	}
}

// Every email renders from the embedded files exactly as from the folder: embed skips names
// starting with "_" unless told not to, and the mail layout is one.
func TestEmbeddedAssetsRenderEveryEmail(t *testing.T) {
	r, err := mail.NewRenderer(assets())
	if err != nil {
		t.Fatal(err)
	}
	m, err := r.Render("invite", map[string]any{"OrgName": "Acme", "InviterName": "A", "InviterEmail": "a@x.co", "RoleName": "Member",
		"Teams": []string{}, "Message": "", "AcceptURL": "https://x/invite/t", "ExpiresAt": "soon", "Name": ""})
	if err != nil || !strings.Contains(m.HTML, "https://x/invite/t") {
		t.Fatalf("invite from the embedded files: %v", err)
	}
	if _, err := fs.Stat(assets(), "templates/mail/_layout.html.tmpl"); err != nil {
		t.Fatal(err)
	}
}

// TestConfigFlagAnywhere: --config FILE is read wherever it stands, before or after the command,
// and a command that takes no arguments says so instead of ignoring them.
func TestConfigFlagAnywhere(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "lobby.toml")
	if err := os.WriteFile(file, []byte("[server]\naddr = \"127.0.0.1:9911\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"LOBBY_DATABASE_URL": "file:" + filepath.Join(dir, "lobby.db"), "LOBBY_LOG_LEVEL": "error"}
	for _, args := range [][]string{
		{"--config", file, "config", "dump"},
		{"config", "dump", "--config", file},
		{"config", "dump", "--config=" + file},
		{"-config=" + file, "config", "dump"},
	} {
		if code, out, errOut := cli(t, env, "", args...); code != 0 || !strings.Contains(out, "127.0.0.1:9911") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"config", "dump", "extra"}, `unexpected argument "extra"`},
		{[]string{"config", "dump", "--config"}, "--config needs a file"},
		{[]string{"version", "now"}, `unexpected argument "now"`},
	} {
		if code, _, errOut := cli(t, env, "", c.args...); code != 2 || !strings.Contains(errOut, c.err) {
			t.Errorf("%q: exit %d, stderr %q", c.args, code, errOut)
		}
	}
}
