package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/api"
	"github.com/lobby/lobby/app/org"
)

// raw sends a request with any body and content type and returns the status, headers and body.
func (e *env) raw(method, path, contentType string, body []byte) (int, map[string]string, []byte) {
	e.t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "Bearer "+e.token)
	resp, err := e.app.Test(req, -1)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	h := map[string]string{}
	for k := range resp.Header {
		h[k] = resp.Header.Get(k)
	}
	return resp.StatusCode, h, out
}

func (e *env) rawJSON(method, path, contentType string, body []byte) (int, map[string]any) {
	e.t.Helper()
	s, _, b := e.raw(method, path, contentType, body)
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		e.t.Fatalf("%s %s: not JSON (%d): %s", method, path, s, b)
	}
	return s, out
}

// csvRows parses a CSV answer without its byte order mark.
func csvRows(t *testing.T, b []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, b)
	}
	return rows
}

// remount serves the same organization with other import settings.
func (e *env) remount(d api.Deps) {
	d.Org, d.Log, d.MaxBody, d.BaseURL = e.svc, discardLogger(), 64<<10, "https://lobby.example"
	e.app = fiber.New(fiber.Config{DisableStartupMessage: true, Immutable: true}) // as app/http.go runs it
	api.Mount(e.app, d)
}

func TestAPIImportFlow(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := org.SystemActor("cli", "t", e.orgID)
	if _, err := e.svc.AddMember(ctx, admin, org.NewMember{Email: "member@x.test", Name: "=SUM(A1:A9)", Role: org.RoleMember}); err != nil {
		t.Fatal(err)
	}
	s, h, tmpl := e.raw("GET", "/api/v1/imports/template.csv", "", nil)
	if s != 200 || !strings.HasPrefix(h["Content-Type"], "text/csv") || !bytes.HasPrefix(tmpl, []byte("\uFEFFemail,name,role,team,resources\r\n")) {
		t.Fatalf("template: %d %v %q", s, h, tmpl)
	}
	file := "email,name,team\r\n" +
		"ann@x.test,\"=HYPERLINK(\"\"http://evil.test\"\",\"\"x\"\")\",Sales\r\n" + // 2
		"bob@x.test,Bob,\r\n" + // 3
		"ann@x.test,Ann again,\r\n" + // 4
		"not an address,,\r\n" + // 5
		"member@x.test,,\r\n" // 6
	s, b := e.rawJSON("POST", "/api/v1/imports?filename=people.csv&create_teams=true", "text/csv", []byte(file))
	if s != 201 || b["status"] != "preview" || b["to_invite"] != 2.0 || b["rows"] != 5.0 || b["filename"] != "people.csv" {
		t.Fatalf("preview: %d %v", s, b)
	}
	counts := b["counts"].(map[string]any)
	if counts["invite"] != 2.0 || counts["duplicate"] != 1.0 || counts["invalid_email"] != 1.0 || counts["already_member"] != 1.0 {
		t.Fatalf("counts: %v", counts)
	}
	if first := b["first_rows"].([]any); len(first) != 5 || first[0].(map[string]any)["message"] != `will create the team "Sales"; the address is also on line 4` {
		t.Fatalf("first rows: %v", first)
	}
	id := b["id"].(string)
	if n := len(b["teams_to_create"].([]any)); n != 1 {
		t.Fatalf("teams to create: %v", b["teams_to_create"])
	}
	// Nothing exists before the commit.
	if _, l := e.call("GET", "/api/v1/invitations", ""); len(l["items"].([]any)) != 0 {
		t.Fatal("the preview created invitations")
	}
	// One page of the report at a time, in file order, filtered by outcome.
	s, p := e.call("GET", "/api/v1/imports/"+id+"/rows?limit=2", "")
	if s != 200 || len(p["items"].([]any)) != 2 || p["next_cursor"] != "3" {
		t.Fatalf("rows page: %d %v", s, p)
	}
	_, p = e.call("GET", "/api/v1/imports/"+id+"/rows?limit=2&cursor=3", "")
	if it := p["items"].([]any); len(it) != 2 || it[0].(map[string]any)["line"] != 4.0 {
		t.Fatalf("second page: %v", p)
	}
	_, p = e.call("GET", "/api/v1/imports/"+id+"/rows?outcome=duplicate,invalid_email", "")
	if it := p["items"].([]any); len(it) != 2 || it[0].(map[string]any)["result"] != "duplicate in this file" {
		t.Fatalf("filtered rows: %v", p)
	}
	// Commit with emails: the invitations exist with the import's id.
	s, b = e.call("POST", "/api/v1/imports/"+id+"/commit", `{"notify":true}`)
	if s != 200 || b["status"] != "committed" || b["progress"].(map[string]any)["done"] != 2.0 || b["counts"].(map[string]any)["invited"] != 2.0 {
		t.Fatalf("commit: %d %v", s, b)
	}
	_, l := e.call("GET", "/api/v1/invitations?import_id="+id, "")
	items := l["items"].([]any)
	if len(items) != 2 {
		t.Fatalf("invitations of the import: %v", l)
	}
	for _, it := range items {
		if inv := it.(map[string]any); inv["import_id"] != id || inv["delivery_status"] != "queued" {
			t.Errorf("invitation %v", inv)
		}
	}
	// History.
	s, l = e.call("GET", "/api/v1/imports", "")
	if hist := l["items"].([]any); s != 200 || len(hist) != 1 || hist[0].(map[string]any)["created_by"] == nil {
		t.Fatalf("history: %d %v", s, l)
	}
	// The report as CSV, with the formula cell neutralised.
	s, h, rep := e.raw("GET", "/api/v1/imports/"+id+"/report.csv", "", nil)
	if s != 200 || h["Content-Disposition"] != `attachment; filename="people.report.csv"` {
		t.Fatalf("report: %d %v", s, h)
	}
	rows := csvRows(t, rep)
	if len(rows) != 6 || rows[1][2] != `'=HYPERLINK("http://evil.test","x")` || rows[1][5] != "invited" || rows[1][8] == "" {
		t.Fatalf("report rows: %q", rows)
	}
	// Exports.
	s, h, mem := e.raw("GET", "/api/v1/export/members.csv", "", nil)
	if rows := csvRows(t, mem); s != 200 || len(rows) != 2 || rows[1][0] != "member@x.test" || rows[1][1] != "'=SUM(A1:A9)" ||
		!strings.HasPrefix(h["Content-Disposition"], `attachment; filename="acme-members-2026-05-04.csv"`) {
		t.Fatalf("members export: %d %v %q", s, h, mem)
	}
	_, _, invs := e.raw("GET", "/api/v1/export/invitations.csv?q=ann", "", nil)
	if rows := csvRows(t, invs); len(rows) != 2 || rows[1][0] != "ann@x.test" || rows[1][1] != `'=HYPERLINK("http://evil.test","x")` || rows[1][7] != id {
		t.Fatalf("invitations export: %q", rows)
	}
	if s, b := e.call("GET", "/api/v1/export/members.csv?status=nope", ""); s != 400 || errCode(b) != org.CodeInvalid {
		t.Fatalf("bad export filter: %d %v", s, b)
	}
}

func TestAPIImportMultipartSendAndCancel(t *testing.T) {
	e := newEnv(t)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "staff.csv")
	_, _ = fw.Write([]byte("E-Mail;Name\nx@x.test;X\ny@x.test;Y\n"))
	_ = mw.Close()
	s, b := e.rawJSON("POST", "/api/v1/imports", mw.FormDataContentType(), body.Bytes())
	if s != 201 || b["filename"] != "staff.csv" || b["separator"] != "semicolon" || b["to_invite"] != 2.0 {
		t.Fatalf("multipart preview: %d %v", s, b)
	}
	id := b["id"].(string)
	if s, b := e.call("POST", "/api/v1/imports/"+id+"/send", ""); s != 409 || errCode(b) != org.CodeConflict {
		t.Fatalf("send before commit: %d %v", s, b)
	}
	if s, b := e.call("POST", "/api/v1/imports/"+id+"/commit", `{"notify":false}`); s != 200 || b["notify"] != false {
		t.Fatalf("commit: %d %v", s, b)
	}
	s, b = e.call("POST", "/api/v1/imports/"+id+"/send", "")
	if s != 200 || b["queued"] != 2.0 || b["import"].(map[string]any)["sent"] != 2.0 {
		t.Fatalf("send: %d %v", s, b)
	}
	// A preview can be dropped; a committed import cannot.
	s, b = e.rawJSON("POST", "/api/v1/imports", "text/csv", []byte("email\nz@x.test\n"))
	if s != 201 {
		t.Fatalf("preview: %d %v", s, b)
	}
	if s, c := e.call("POST", "/api/v1/imports/"+b["id"].(string)+"/cancel", ""); s != 200 || c["status"] != "cancelled" {
		t.Fatalf("cancel: %d %v", s, c)
	}
	if s, c := e.call("POST", "/api/v1/imports/"+id+"/cancel", ""); s != 409 {
		t.Fatalf("cancel a committed import: %d %v", s, c)
	}
	if s, _ := e.call("GET", "/api/v1/imports/01900000-0000-7000-8000-000000000000", ""); s != 404 {
		t.Fatalf("unknown import: %d", s)
	}
}

func TestAPIImportBadFiles(t *testing.T) {
	e := newEnv(t)
	e.remount(api.Deps{ImportMaxRows: 2, ImportMaxBytes: 200})
	for _, tc := range []struct {
		name, query, ct, body string
		status                int
		code                  string
	}{
		{"empty", "", "text/csv", "", 422, "empty"},
		{"header only", "", "text/csv", "email,name,role,team\r\n", 422, "empty"},
		{"not text", "", "application/octet-stream", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 422, "not_text"},
		{"no email column", "", "text/csv", "name,role\nAnn,member\n", 422, "no_email_column"},
		{"too many rows", "", "text/csv", "email\na@x.test\nb@x.test\nc@x.test\n", 413, org.CodeTooManyRows},
		{"too large", "", "text/csv", "email,name\na@x.test," + strings.Repeat("x", 300) + "\n", 413, org.CodeFileTooLarge},
		{"bad option", "?resend_existing=maybe", "text/csv", "email\na@x.test\n", 400, org.CodeInvalid},
		{"multipart without file", "", "multipart/form-data; boundary=x", "--x--\r\n", 400, org.CodeInvalid},
	} {
		s, b := e.rawJSON("POST", "/api/v1/imports"+tc.query, tc.ct, []byte(tc.body))
		if s != tc.status || errCode(b) != tc.code || b["error"].(map[string]any)["message"] == "" {
			t.Errorf("%s: %d %v, want %d %s", tc.name, s, b, tc.status, tc.code)
		}
	}
	if _, l := e.call("GET", "/api/v1/imports", ""); len(l["items"].([]any)) != 0 {
		t.Fatalf("bad files were kept: %v", l)
	}
}

func TestAPIImportCommitInTheBackground(t *testing.T) {
	e := newEnv(t)
	e.remount(api.Deps{ImportWait: time.Nanosecond})
	s, b := e.rawJSON("POST", "/api/v1/imports", "text/csv", []byte("email\na@x.test\nb@x.test\n"))
	if s != 201 {
		t.Fatalf("preview: %d %v", s, b)
	}
	id := b["id"].(string)
	s, b = e.call("POST", "/api/v1/imports/"+id+"/commit", "")
	if s != 202 && s != 200 {
		t.Fatalf("commit: %d %v", s, b)
	}
	// The commit goes on after the answer; the import shows when it is done.
	deadline := time.Now().Add(30 * time.Second)
	for b["status"] != "committed" {
		if time.Now().After(deadline) {
			t.Fatalf("the commit did not finish: %v", b)
		}
		time.Sleep(10 * time.Millisecond)
		_, b = e.call("GET", "/api/v1/imports/"+id, "")
	}
	if p := b["progress"].(map[string]any); p["done"] != 2.0 || p["total"] != 2.0 || b["notify"] != true {
		t.Fatalf("progress: %v", b)
	}
}

// An uploaded file's name cannot add to the report download's header: a name that ends the
// quoted filename and starts filename*= (which browsers prefer) comes back harmless.
func TestAPIImportReportNameIsHarmless(t *testing.T) {
	e := newEnv(t)
	hostile := url.QueryEscape(`x"; filename*=UTF-8''report.html; a="` + "\u202e")
	s, b := e.rawJSON("POST", "/api/v1/imports?filename="+hostile, "text/csv", []byte("email\na@x.test\n"))
	if s != 201 {
		t.Fatalf("upload: %d %v", s, b)
	}
	id, _ := b["id"].(string)
	status, h, _ := e.raw("GET", "/api/v1/imports/"+id+"/report.csv", "", nil)
	cd := h["Content-Disposition"]
	if status != 200 || strings.Count(cd, `"`) != 2 || strings.Contains(cd, "filename*") || strings.Contains(cd, "\u202e") {
		t.Fatalf("report download: %d %q", status, cd)
	}
}
