package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lobby/lobby/app"
	"github.com/lobby/lobby/app/config"
	"github.com/lobby/lobby/app/org"
)

// Over real HTTP, every JSON body too large for the API answers 413 body_too_large, whether
// the API refuses it (over server.max_body_bytes) or the server does before any handler runs
// (over its own limit, sized for CSV uploads); a body that is not JSON answers 415.
func TestServeAPIBodyTooLargeAndNotJSON(t *testing.T) {
	dir := t.TempDir()
	cfg := config.Default()
	cfg.Database.URL = "file:" + filepath.Join(dir, "lobby.db")
	cfg.Mail.Dir = filepath.Join(dir, "mail")
	cfg.Jobs.Enabled = false
	cfg.Server.MaxBodyBytes = 1 << 10
	cfg.Imports.MaxBytes = 1 << 10 // the server's own limit is then 65 KiB
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Server.BaseURL = "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg, os.DirFS("../public"), app.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	o, err := a.Org.CreateOrg(ctx, org.SystemActor("cli", "t", ""), "acme", "Acme")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := a.Org.CreateToken(ctx, org.SystemActor("cli", "t", o.ID), "api", "ci")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, contentType string
		size              int
		status            int
		code              string
	}{
		{"over max_body_bytes", "application/json", 4 << 10, 413, "body_too_large"},
		{"over the server's limit", "application/json", 200 << 10, 413, "body_too_large"},
		{"not JSON", "text/plain", 100, 415, "unsupported_media_type"},
		{"fits", "application/json", 100, 201, ""},
	} {
		body := `{"name":"` + strings.Repeat("a", max(tc.size-12, 1)) + `"}`
		if tc.status == 201 {
			body = `{"name":"Ops"}`
		}
		req, _ := http.NewRequest("POST", cfg.Server.BaseURL+"/api/v1/teams", bytes.NewReader([]byte(body)))
		req.Header.Set("Authorization", "Bearer "+tok.Plain)
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
}
