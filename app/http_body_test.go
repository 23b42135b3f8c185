package app_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/config"
)

// Over real HTTP, every JSON body too large for the API answers 413 body_too_large, whether
// the API refuses it (over server.max_body_bytes) or the server does before any handler runs
// (over its own limit, sized for CSV uploads); a body that is not JSON answers 415.
func TestServeAPIBodyTooLargeAndNotJSON(t *testing.T) {
	a, cfg := serveLobby(t, func(c *config.Config) {
		c.Server.MaxBodyBytes = 1 << 10
		c.Imports.MaxBytes = 1 << 10 // the server's own limit is then 65 KiB
	})
	_, tok := acmeWithToken(t, a, "api")
	for _, tc := range []struct {
		name, contentType string
		size              int
		status            int
		code              string
	}{
		{"over max_body_bytes", "application/json", 4 << 10, 413, "body_too_large"},
		{"not JSON", "text/plain", 100, 415, "unsupported_media_type"},
		{"fits", "application/json", 100, 201, ""},
	} {
		body := `{"name":"` + strings.Repeat("a", max(tc.size-12, 1)) + `"}`
		if tc.status == 201 {
			body = `{"name":"Ops"}`
		}
		req, _ := http.NewRequest("POST", cfg.Server.BaseURL+"/api/v1/teams", bytes.NewReader([]byte(body)))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", tc.contentType)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var out struct {
			Error struct{ Code, Message string }
		}
		_ = json.Unmarshal(raw, &out)
		if resp.StatusCode != tc.status || out.Error.Code != tc.code || (tc.code != "" && out.Error.Message == "") {
			t.Errorf("%s: %d %s; want %d %q", tc.name, resp.StatusCode, raw, tc.status, tc.code)
		}
	}
	// Over the server's own limit the answer comes as soon as the headers announce the size.
	// The body is not sent: a server that answers and closes with unread bytes resets the
	// connection, and a client still writing may then lose the answer.
	announce := func(path, contentType string) (*http.Response, string) {
		t.Helper()
		conn, err := net.Dial("tcp", strings.TrimPrefix(cfg.Server.BaseURL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: lobby\r\nAuthorization: Bearer %s\r\n"+
			"Content-Type: %s\r\nContent-Length: %d\r\n\r\n", path, tok, contentType, 200<<10)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		return resp, string(raw)
	}
	if resp, raw := announce("/api/v1/teams", "application/json"); resp.StatusCode != 413 || !strings.Contains(raw, `"body_too_large"`) {
		t.Errorf("over the server's limit: %d %s", resp.StatusCode, raw)
	}
	// A CSV file over it is told what an import says of a file too large, on the API and in
	// the console.
	if resp, raw := announce("/api/v1/imports", "text/csv"); resp.StatusCode != 413 || !strings.Contains(raw, `"file_too_large"`) ||
		!strings.Contains(raw, "split it into smaller files") {
		t.Errorf("a CSV file over the server's limit: %d %s", resp.StatusCode, raw)
	}
	if resp, _ := announce("/console/acme/imports", "multipart/form-data; boundary=x"); resp.StatusCode != 303 ||
		resp.Header.Get("Location") != "/console/acme/imports?too_large=1" {
		t.Errorf("a CSV file over the server's limit in the console: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// Only the two upload routes take a body as large as imports.max_bytes; every other address,
// the sign-in form first, turns away anything over server.max_body_bytes as soon as the
// headers announce it, so nobody can make Lobby hold an upload's worth of body elsewhere.
func TestServeLargeBodiesOnlyOnUploadRoutes(t *testing.T) {
	a, cfg := serveLobby(t, func(c *config.Config) {
		c.Server.MaxBodyBytes = 1 << 10
		c.Imports.MaxBytes = 1 << 20
	})
	_, tok := acmeWithToken(t, a, "api")
	const size = 300 << 10 // over max_body_bytes and its margin, under imports.max_bytes
	for _, path := range []string{"/login", "/join/acme", "/console/acme/settings", "/api/v1/teams", "/scim/v2/Users", "/api/v1/imports/x/commit"} {
		conn, err := net.Dial("tcp", strings.TrimPrefix(cfg.Server.BaseURL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: lobby\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", path, size)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		conn.Close()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if resp.StatusCode != 413 {
			t.Errorf("%s took a body of %d bytes: %d", path, size, resp.StatusCode)
		}
	}
	var csv bytes.Buffer
	csv.WriteString("email,name\r\n")
	for i := 0; csv.Len() < size; i++ {
		fmt.Fprintf(&csv, "person%06d@example.com,Person %d\r\n", i, i)
	}
	req, _ := http.NewRequest("POST", cfg.Server.BaseURL+"/api/v1/imports", bytes.NewReader(csv.Bytes()))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("a CSV file of %d bytes to the API's upload route: %d %s", csv.Len(), resp.StatusCode, raw)
	}
}

// A query string of several KiB (a long search) gets the API's own answer, not the server's
// bare "header too large".
func TestServeLongQueryStrings(t *testing.T) {
	a, cfg := serveLobby(t, nil)
	_, tok := acmeWithToken(t, a, "api")
	req, _ := http.NewRequest("GET", cfg.Server.BaseURL+"/api/v1/members?q="+strings.Repeat("a", 8000), nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(raw), `"items":[]`) {
		t.Fatalf("a search of 8,000 characters: %d %.200s", resp.StatusCode, raw)
	}
}
