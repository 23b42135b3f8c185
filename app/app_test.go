package app_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lobby/lobby/app"
	"github.com/lobby/lobby/app/config"
	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// serveLobby builds a Lobby with app.New over a fresh libSQL file (jobs off, mail to files),
// lets set change its configuration, and serves it on a free port of 127.0.0.1 until the test
// ends. cfg.Server.BaseURL is where it answers.
func serveLobby(t *testing.T, set func(*config.Config)) (*app.App, config.Config) {
	t.Helper()
	dir := t.TempDir()
	cfg := config.Default()
	cfg.Database.URL = "file:" + filepath.Join(dir, "lobby.db")
	cfg.Mail.Dir = filepath.Join(dir, "mail")
	cfg.Jobs.Enabled = false
	if set != nil {
		set(&cfg)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Server.BaseURL = "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg, os.DirFS("../public"), app.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		a.Close()
	})
	return a, cfg
}

// acmeWithToken makes the organization acme in a and returns it with a new token of kind
// ("api" or "scim").
func acmeWithToken(t *testing.T, a *app.App, kind string) (store.Org, string) {
	t.Helper()
	ctx := context.Background()
	o, err := a.Org.CreateOrg(ctx, org.SystemActor("cli", "t", ""), "acme", "Acme")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := a.Org.CreateToken(ctx, org.SystemActor("cli", "t", o.ID), kind, "ci")
	if err != nil {
		t.Fatal(err)
	}
	return o, tok.Plain
}

// A served Lobby answers health, readiness and metrics, and its counters move with the work.
func TestServeHealthReadinessAndMetrics(t *testing.T) {
	a, cfg := serveLobby(t, nil)
	ctx := context.Background()
	get := func(path string) (int, string) {
		resp, err := http.Get(cfg.Server.BaseURL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if s, b := get("/healthz"); s != 200 || b != "ok" {
		t.Fatalf("healthz: %d %q", s, b)
	}
	if s, b := get("/readyz"); s != 200 || b != "ready" {
		t.Fatalf("readyz: %d %q", s, b)
	}
	o, err := a.Org.CreateOrg(ctx, org.SystemActor("cli", "t", ""), "acme", "Acme")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Org.Invite(ctx, org.SystemActor("cli", "t", o.ID), org.InviteRequest{Emails: []string{"a@x.co", "b@x.co"}, Notify: true}); err != nil {
		t.Fatal(err)
	}
	// The sender delivers the two emails to .eml files.
	deadline := time.Now().Add(10 * time.Second)
	for {
		files, _ := filepath.Glob(filepath.Join(cfg.Mail.Dir, "*.eml"))
		if len(files) == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d .eml files after 10 s", len(files))
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The sender counts a delivery after it wrote the file and recorded it: wait for the count.
	_, m := get("/metrics")
	for !strings.Contains(m, `lobby_mail_deliveries_total{result="sent"} 2`) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		_, m = get("/metrics")
	}
	for _, want := range []string{`lobby_invitations_total{outcome="created"} 2`, `lobby_mail_deliveries_total{result="sent"} 2`,
		`lobby_http_request_duration_seconds_count{method="GET",route="/healthz",status="2xx"} 1`, "go_goroutines"} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}
