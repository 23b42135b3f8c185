package e2e

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// spreadsheet is a CSV as a spreadsheet exports it: headers in another case and order, CRLF,
// a quoted comma, and rows that must not be invited (unknown team, duplicate, bad address,
// an existing member).
const spreadsheet = "Email,Name,Team,Role\r\n" +
	"ann@example.test,Ann Archer,Field research,member\r\n" +
	"ben@example.test,\"Baker, Ben\",Field research,member\r\n" +
	"cat@example.test,Cat Cole,Sales,member\r\n" +
	"ANN@example.test,Ann again,,member\r\n" +
	"not an address,Nobody,,member\r\n" +
	"bob@northwind.test,Bob Stone,,member\r\n" +
	"dan@example.test,Dan Dale,,admin\r\n" +
	"eve@example.test,Eve Evans,,\r\n"

// TestImportUploadPreviewConfirm uploads a CSV file through the console's file input, reads the
// preview's counts, confirms in the browser's dialog and finds the import in the history.
func TestImportUploadPreviewConfirm(t *testing.T) {
	t.Parallel()
	chromium(t) // first, so a missing browser fails (or skips) at once
	l := startLobby(t)
	b := newBrowser(t)
	asked := acceptDialogs(b)
	l.api(t, "POST", "/teams", map[string]any{"name": "Field research"}, http.StatusCreated, nil)
	l.addMember(t, "bob@northwind.test", "Bob Stone", "member", "bob's long password")
	file := filepath.Join(t.TempDir(), "spring-intake.csv")
	if err := os.WriteFile(file, []byte(spreadsheet), 0o644); err != nil {
		t.Fatal(err)
	}
	console := "/console/" + orgSlug

	signIn(t, b, l, ownerEmail, ownerPassword)
	open(t, b, l, console+"/imports", `#file`)
	wantText(t, b, "main .empty", "No imports yet")
	screenshot(t, b, "console-imports-empty")
	run(t, b, "choose the file", chromedp.SetUploadFiles(`#file`, []string{file}, chromedp.ByQuery))
	click(t, b, "preview the file", `form[enctype="multipart/form-data"] button`, `ul.chips`)
	wantText(t, b, ".notice", "Nothing has been sent yet")
	wantText(t, b, "main h2", "spring-intake.csv")
	wantText(t, b, "ul.chips", "4 will invite", "1 unknown team", "1 duplicate in this file", "1 invalid email", "1 already a member")
	wantText(t, b, rowWith(t, b, "cat@example.test"), "Unknown team", "there is no team \"Sales\"")
	wantText(t, b, rowWith(t, b, "Baker, Ben"), "ben@example.test", "Will invite")
	if n := countNodes(t, b, `main table tbody tr`); n != 8 {
		t.Errorf("the preview lists %d rows, the file has 8", n)
	}
	if got := l.invitations(t, ""); len(got) != 0 {
		t.Fatalf("the preview created %d invitations", len(got))
	}
	screenshot(t, b, "console-import-preview")

	click(t, b, "confirm the import", `form[action$="/commit"] button`, `.notice`)
	if q := asked.last(); !strings.Contains(q, "Are you sure? 4 invitations will be created") {
		t.Errorf("confirming asked %q", q)
	}
	wantText(t, b, ".notice", "4 invitations created; their emails are on the way.")
	wantText(t, b, "ul.chips", "4 invited")
	for _, to := range []string{"ann@example.test", "ben@example.test", "dan@example.test", "eve@example.test"} {
		l.waitMail(t, to)
	}
	invs := l.invitations(t, "")
	if len(invs) != 4 {
		t.Errorf("the import created %d invitations, want 4", len(invs))
	}

	click(t, b, "go back to the imports", `main a[href="`+console+`/imports"]`, `main table`)
	row := rowWith(t, b, "spring-intake.csv")
	wantText(t, b, row, ownerName, "8", "Done")
	screenshot(t, b, "console-imports")
}
