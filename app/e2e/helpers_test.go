package e2e

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
	"sync"
	"testing"
	"time"

	"github.com/lobby/lobby/app"
	"github.com/lobby/lobby/app/config"
	"github.com/lobby/lobby/app/logbuf"
	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/oidc/oidctest"
)

// The organization and its owner that every test Lobby starts with.
const (
	orgName       = "Northwind Trading"
	orgSlug       = "northwind"
	ownerName     = "Alice Martin"
	ownerEmail    = "alice@northwind.test"
	ownerPassword = "correct horse battery staple"
)

// lobby is a real Lobby served on 127.0.0.1 for one test, with its mail going to a real SMTP
// server in the same process.
type lobby struct {
	URL   string // base URL, http://127.0.0.1:<port>, which is also the configured base_url
	Token string // an API token of the organization, created by its owner
	App   *app.App
	Org   store.Org
	Owner org.Actor // Alice, the owner; invitations made with Token name her as the inviter
	Inbox *inbox
	Clock *clock
	OP    *oidctest.OP // the test OpenID provider "test", when started withSSO

	taken map[*message]bool // messages waitMail has already handed out
}

// option changes the configuration of a test Lobby before it starts; l has URL, Inbox and
// Clock set already.
type option func(t *testing.T, l *lobby, cfg *config.Config)

// clock is real time plus an offset a test can move forward (to expire an invitation).
type clock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return time.Now().Add(c.offset) }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.offset += d; c.mu.Unlock() }

// startLobby builds a Lobby with app.New over a fresh libSQL file, makes the organization,
// its owner and an API token, and serves it until the test ends. Its log is printed only when
// the test fails. Options change the configuration first (withSSO).
func startLobby(t *testing.T, opts ...option) *lobby {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	in := startInbox(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("cannot listen for Lobby: %v", err)
	}
	base := "http://" + ln.Addr().String()

	cfg := config.Default()
	cfg.Server.Addr = ln.Addr().String()
	cfg.Server.BaseURL = base
	cfg.Server.ShutdownTimeout = config.D(3 * time.Second)
	cfg.Database.URL = "file:" + filepath.Join(t.TempDir(), "lobby.db")
	cfg.Mail.Transport = "smtp"
	cfg.Mail.From = "Lobby <lobby@northwind.test>"
	cfg.Mail.SMTP = config.SMTP{Host: in.host, Port: in.port, TLS: "none", Timeout: config.D(5 * time.Second)}
	cfg.Jobs.Enabled = false // the tests move the clock themselves
	clk := &clock{}
	l := &lobby{URL: base, Inbox: in, Clock: clk, taken: map[*message]bool{}}
	for _, o := range opts {
		o(t, l, &cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("the test config is not valid: %v", err)
	}

	var logs logbuf.Buffer
	a, err := app.New(ctx, cfg, os.DirFS("../../public"), app.Options{Now: clk.Now,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		cancel()
		t.Fatalf("app.New: %v", err)
	}
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("Lobby stopped with an error: %v", err)
		}
		a.Close()
		if t.Failed() {
			t.Logf("Lobby's log:\n%s", logs.String())
		}
	})

	l.App = a
	l.Org, l.Owner, l.Token = seed(ctx, t, a.Org)
	return l
}

// seed makes the organization, its owner Alice (who can sign in with ownerPassword) and an
// API token Alice created.
func seed(ctx context.Context, t *testing.T, svc *org.Service) (store.Org, org.Actor, string) {
	t.Helper()
	o, err := svc.CreateOrg(ctx, org.SystemActor("cli", "e2e test", ""), orgSlug, orgName)
	if err != nil {
		t.Fatalf("create the organization: %v", err)
	}
	hash, err := svc.HashPassword(ctx, ownerPassword)
	if err != nil {
		t.Fatalf("hash the owner's password: %v", err)
	}
	m, err := svc.AddMember(ctx, org.SystemActor("cli", "e2e test", o.ID), org.NewMember{Email: ownerEmail, Name: ownerName,
		PasswordHash: hash, Role: org.RoleOwner, Source: "admin"})
	if err != nil {
		t.Fatalf("add the owner: %v", err)
	}
	u, err := svc.User(ctx, m.UserID)
	if err != nil {
		t.Fatal(err)
	}
	owner, err := svc.ActorFor(ctx, u, o.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := svc.CreateToken(ctx, owner, "api", "e2e tests")
	if err != nil {
		t.Fatalf("create the API token: %v", err)
	}
	return o, owner, tok.Plain
}

// api calls the JSON API with the organization's token, fails the test unless the status is
// want, and decodes the answer into out (when not nil).
func (l *lobby) api(t *testing.T, method, path string, body any, want int, out any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, l.URL+"/api/v1"+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+l.Token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("%s %s answered %d, want %d: %s", method, path, res.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: cannot decode %s: %v", method, path, b, err)
		}
	}
}

// invitation is the part of the API's invitation object the tests read.
type invitation struct {
	ID        string   `json:"id"`
	Email     string   `json:"email"`
	Status    string   `json:"status"`
	Teams     []string `json:"teams"`
	AcceptURL string   `json:"accept_url"`
	ExpiresAt string   `json:"expires_at"`
}

// invite invites one address through POST /api/v1/invitations with notify on, and returns the
// invitation the API created.
func (l *lobby) invite(t *testing.T, req map[string]any) invitation {
	t.Helper()
	req["notify"] = true
	var res struct {
		Created []invitation `json:"created"`
		Errors  []struct{ Email, Code, Message string }
	}
	l.api(t, "POST", "/invitations", req, http.StatusCreated, &res)
	if len(res.Created) != 1 || len(res.Errors) != 0 {
		t.Fatalf("inviting %v created %d and refused %v", req["emails"], len(res.Created), res.Errors)
	}
	return res.Created[0]
}
