package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// upload posts a multipart form with one file, as a browser's file input does.
func (b *browser) upload(path, field, filename, content string, fields ...string) page {
	b.s.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("_csrf", b.cookies["lobby_csrf"])
	for i := 0; i+1 < len(fields); i += 2 {
		_ = w.WriteField(fields[i], fields[i+1])
	}
	fw, _ := w.CreateFormFile(field, filename)
	_, _ = io.WriteString(fw, content)
	_ = w.Close()
	req := httptest.NewRequest("POST", path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, err := b.s.app.Test(req, -1)
	if err != nil {
		b.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, body: string(raw), location: resp.Header.Get("Location"), header: resp.Header}
}

func TestConsoleImportUploadPreviewConfirmHistory(t *testing.T) {
	s := newSite(t)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	a.get("/console/acme/imports").mustContain(t, "Download a template", "No imports yet")
	tmpl := a.get("/console/acme/imports/template.csv")
	if !strings.Contains(tmpl.body, "email,name,role,team") {
		t.Fatalf("template: %q", tmpl.body)
	}
	csv := "\ufeffEmail;Name;Team\r\nann@example.com;Ann;Sales\r\nbad-address;Bad;\r\nann@example.com;Ann again;\r\nada@acme.test;Ada;\r\nbo@example.com;\"=HYPERLINK(\"\"x\"\")\";Sales\r\n"
	p := a.upload("/console/acme/imports", "file", "people.csv", csv, "create_teams", "on")
	if p.status != 303 || !strings.Contains(p.location, "/console/acme/imports/") {
		t.Fatalf("upload: %d %q %s", p.status, p.location, p.body)
	}
	if n := s.count(`SELECT count(*) FROM invitations`); n != 0 {
		t.Fatalf("the preview created %d invitations", n)
	}
	prev := a.get(p.location)
	prev.mustContain(t, "people.csv", `data-label="Role">Member (default)<`, ">Will invite<", "2 will invite", "1 invalid email", "1 duplicate in this file", "1 already a member", "Invite 2 people", "Are you sure? 2 invitations")
	id := strings.TrimPrefix(strings.Split(p.location, "?")[0], "/console/acme/imports/")
	c := a.post("/console/acme/imports/"+id+"/commit", "notify", "on")
	if c.status != 303 || !strings.Contains(c.location, "2+invitations+created") {
		t.Fatalf("commit: %d %q", c.status, c.location)
	}
	if n := s.count(`SELECT count(*) FROM invitations WHERE import_id = ?`, id); n != 2 {
		t.Fatalf("%d invitations from the import", n)
	}
	if n := s.count(`SELECT count(*) FROM outbox WHERE template = 'invite'`); n != 2 {
		t.Fatalf("%d emails queued", n)
	}
	a.get("/console/acme/imports").mustContain(t, "people.csv", "Done")
	rep := a.get("/console/acme/imports/" + id + "/report.csv")
	if !strings.Contains(rep.body, "bad-address") || strings.Contains(rep.body, ";=HYPERLINK") || strings.Contains(rep.body, ",=HYPERLINK") {
		t.Fatalf("report:\n%s", rep.body)
	}
	// A file that is not CSV gets one clear message and leaves nothing behind.
	p = a.upload("/console/acme/imports", "file", "sheet.xlsx", "PK\x03\x04 not really a zip")
	if !strings.Contains(p.location, "xlsx") {
		t.Fatalf("xlsx upload: %q", p.location)
	}
}

// When the server turns an upload away for its size (app sends the browser back with
// ?too_large=1), the Imports page says what the limit is and what to do, as an error.
func TestConsoleImportsSaysAFileWasTooLarge(t *testing.T) {
	s := newSite(t)
	b := s.signedIn("ada@acme.test", "admin")
	b.get("/console/acme/imports?too_large=1").mustContain(t, `role="alert"`, "The file is larger than", "split it into smaller files")
	if strings.Contains(b.get("/console/acme/imports").body, "The file is larger than") {
		t.Fatal("the Imports page says a file was too large when none was sent")
	}
}
