package app

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Set UPDATE_GOLDEN=1 to rewrite testdata/*.golden from the current output.
var (
	uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	timeRE = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`)
	dateRE = regexp.MustCompile(`\d{4}-\d\d-\d\d\.csv`)
)

// cliRun runs one command line against the test's data folder, with the real templates.
func cliRun(t *testing.T, dir, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := IO{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Assets: os.DirFS("../public"), Environ: []string{
		"LOBBY_DATABASE_URL=file:" + filepath.Join(dir, "lobby.db"),
		"LOBBY_MAIL_DIR=" + filepath.Join(dir, "mail"),
		"LOBBY_LOG_LEVEL=error",
		"LOBBY_IMPORTS_MAX_ROWS=50",
		"LOBBY_SERVER_ADDR=127.0.0.1:0",
		"LOBBY_JOBS_ENABLED=false",
	}}
	code = Main(args, env)
	return code, out.String(), errb.String()
}

func TestImportAndExportCommands(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := cliRun(t, dir, "", "org", "create", "--slug", "acme", "--name", "Acme"); code != 0 {
		t.Fatalf("org create: %s", errOut)
	}
	if code, _, errOut := cliRun(t, dir, "a long enough password\n", "admin", "create", "--org", "acme", "--email", "owner@example.com",
		"--name", "@Owner", "--password-stdin"); code != 0 {
		t.Fatalf("admin create: %s", errOut)
	}
	file := filepath.Join(dir, "people.csv")
	csvText := "Email;Name;Team;Phone\r\n" +
		"ann@example.com;=cmd|' /C calc'!A0;Sales;1\r\n" +
		"bob@example.com;Bob;;2\r\n" +
		"ANN@example.com;Ann again;;3\r\n" +
		"not-an-address;Nobody;;4\r\n" +
		"cy@example.com;Cy;Sales|Ops;5\r\n"
	if err := os.WriteFile(file, []byte(csvText), 0o600); err != nil {
		t.Fatal(err)
	}
	var golden strings.Builder
	step := func(name string, wantCode int, args ...string) string {
		t.Helper()
		code, out, errOut := cliRun(t, dir, "", args...)
		if code != wantCode {
			t.Fatalf("%s: exit %d, want %d\nstdout: %s\nstderr: %s", name, code, wantCode, out, errOut)
		}
		golden.WriteString("$ lobby " + strings.Join(args, " ") + "\n" + out)
		if errOut != "" {
			golden.WriteString("[stderr]\n" + errOut)
		}
		golden.WriteString("\n")
		return out
	}
	step("dry run", 0, "import", "--org", "acme", "--file", file, "--dry-run")
	step("unknown team", 0, "import", "--org", "acme", "--file", file, "--notify", "--create-teams")
	rep, err := os.ReadFile(filepath.Join(dir, "people.report.csv"))
	if err != nil {
		t.Fatalf("no report next to the file: %v", err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(rep, []byte("\uFEFF")))).ReadAll()
	if err != nil || len(rows) != 6 || rows[1][2] != "'=cmd|' /C calc'!A0" || rows[1][5] != "invited" {
		t.Fatalf("report: %v %q", err, rows)
	}
	step("again", 0, "import", "--org", "acme", "--file", file)
	step("export invitations", 0, "export", "--org", "acme", "invitations")
	step("export members", 0, "export", "members", "--org", "acme")
	step("export with a filter after the kind", 0, "export", "--org", "acme", "invitations", "--q", "bob")
	step("two kinds", 2, "export", "--org", "acme", "invitations", "members")
	step("empty file", 1, "import", "--org", "acme", "--file", filepath.Join("testdata", "empty.csv"))
	step("missing flag", 2, "import", "--org", "acme")
	step("bad export", 2, "export", "--org", "acme", "teams")
	step("a filter for members only", 2, "export", "--org", "acme", "invitations", "--team", "Sales")
	step("a filter for invitations only", 2, "export", "--org", "acme", "members", "--import", "x")
	// A file of the report's name that Lobby did not write is left alone, and nothing is
	// imported; nor is anything when the report cannot be written.
	mine := filepath.Join(dir, "seats.csv")
	if err := os.WriteFile(mine, []byte("email\r\ndee@example.com\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "seats.report.csv"), []byte("my own notes\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	step("someone else's report file", 1, "import", "--org", "acme", "--file", mine)
	if b, _ := os.ReadFile(filepath.Join(dir, "seats.report.csv")); string(b) != "my own notes\n" {
		t.Fatalf("the import wrote over a file it did not make: %q", b)
	}
	if err := os.Remove(filepath.Join(dir, "seats.report.csv")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "seats.report.csv"), 0o700); err != nil {
		t.Fatal(err)
	}
	step("a report that cannot be written", 1, "import", "--org", "acme", "--file", mine)
	if _, err := os.Stat(filepath.Join("testdata", "empty.report.csv")); err == nil {
		t.Fatal("an import that failed left an empty report behind")
	}
	if out := step("nobody was invited by those", 0, "export", "--org", "acme", "invitations", "--q", "dee@"); strings.Contains(out, "dee@example.com") {
		t.Fatalf("an import that could not write its report invited someone:\n%s", out)
	}

	// CSV lines end in CRLF and start with a byte order mark; the golden file shows the mark and
	// keeps plain line ends, so that git cannot change it.
	got := strings.NewReplacer(dir, "<dir>", "\r\n", "\n", "\uFEFF", "<BOM>").Replace(golden.String())
	got = uuidRE.ReplaceAllString(got, "<id>")
	got = timeRE.ReplaceAllString(got, "<time>")
	got = dateRE.ReplaceAllString(got, "<date>.csv")
	path := filepath.Join("testdata", "import.golden")
	if os.Getenv("UPDATE_GOLDEN") == "1" {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with UPDATE_GOLDEN=1 to create it)", err)
	}
	if got != string(want) {
		t.Errorf("the output differs from %s (UPDATE_GOLDEN=1 rewrites it):\n%s", path, got)
	}
}
