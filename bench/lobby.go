package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/lobby/lobby/app"
	"github.com/lobby/lobby/app/config"
	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
	"github.com/valyala/fasthttp"
)

// lobby is a real Lobby built by app.New on a libSQL file in a temporary folder, serving on
// 127.0.0.1 through App.Serve, with one organization, an owner and an API token.
type lobby struct {
	App   *app.App
	Base  string
	Dir   string
	Org   store.Org
	Owner org.MemberView
	Token string
	HTTP  *http.Client
	Load  *fasthttp.Client
	stop  context.CancelFunc
	done  chan error
}

// ownerPassword is the bench owner's password; it only ever lives in a temporary database.
const ownerPassword = "bench-owner-password"

// newClient is an HTTP client as a busy integration would use it: keep-alive with many idle
// connections per host, and redirects returned rather than followed.
func newClient() *http.Client {
	return &http.Client{
		Timeout: 60 * time.Second,
		Transport: &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512, IdleConnTimeout: 90 * time.Second,
			DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// startLobby starts a Lobby with mail written to files and the cron jobs off; tweak may change
// the configuration first.
func startLobby(ctx context.Context, root string, tweak func(*config.Config)) (*lobby, error) {
	dir, err := os.MkdirTemp("", "lobby-bench-")
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	l := &lobby{Base: "http://" + ln.Addr().String(), Dir: dir, HTTP: newClient(), Load: newLoad(), done: make(chan error, 1)}
	cfg := config.Default()
	cfg.Server.Addr, cfg.Server.BaseURL = ln.Addr().String(), l.Base
	cfg.Server.ShutdownTimeout = config.D(5 * time.Second)
	cfg.Database.URL = "file:" + filepath.Join(dir, "lobby.db")
	cfg.Mail.Transport, cfg.Mail.Dir = "file", mailDir(dir)
	cfg.Jobs.Enabled = false
	cfg.Security.SecureCookies = "never"
	cfg.Log.Level = "warn"
	if tweak != nil {
		tweak(&cfg)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a, err := app.New(ctx, cfg, os.DirFS(filepath.Join(root, "public")), app.Options{Logger: log})
	if err != nil {
		ln.Close()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("app.New: %w", err)
	}
	l.App = a
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	l.stop = cancel
	go func() { l.done <- a.Serve(sctx, ln) }()
	if err := l.seed(ctx); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

// seed creates the organization, its owner and an API token the way the CLI does.
func (l *lobby) seed(ctx context.Context) error {
	svc := l.App.Org
	o, err := svc.CreateOrg(ctx, org.SystemActor("cli", "bench", ""), "bench", "Bench Org")
	if err != nil {
		return fmt.Errorf("create the organization: %w", err)
	}
	l.Org = o
	hash, err := svc.HashPassword(ctx, ownerPassword)
	if err != nil {
		return err
	}
	cli := org.SystemActor("cli", "bench", o.ID)
	if l.Owner, err = svc.AddMember(ctx, cli, org.NewMember{Email: "owner@bench.example", Name: "Bench Owner",
		PasswordHash: hash, Role: org.RoleOwner, Source: "admin"}); err != nil {
		return fmt.Errorf("create the owner: %w", err)
	}
	cli.UserID = l.Owner.UserID
	t, err := svc.CreateToken(ctx, cli, "api", "bench")
	if err != nil {
		return fmt.Errorf("create the API token: %w", err)
	}
	l.Token = t.Plain
	if code, err := l.get(ctx, "/healthz", ""); err != nil || code != 200 {
		return fmt.Errorf("GET /healthz answered %d: %v", code, err)
	}
	return nil
}

// actor is the owner acting through the API token, as the API would build it.
func (l *lobby) actor(ctx context.Context) (org.Actor, error) {
	return l.App.Org.Authenticate(ctx, "api", l.Token)
}

// Close stops serving, waits for the shutdown and removes the folder.
func (l *lobby) Close() {
	// Idle keep-alive connections would hold the graceful shutdown until its timeout.
	l.HTTP.CloseIdleConnections()
	l.Load.CloseIdleConnections()
	if l.stop != nil {
		t0 := time.Now()
		l.stop()
		select {
		case <-l.done:
		case <-time.After(20 * time.Second):
			progress("Lobby did not stop within 20 s of %s; going on.", elapsedSince(t0))
		}
	}
	l.App.Close()
	removeLater(l.Dir)
}

// mailDir is where a bench Lobby writes its .eml files: a folder in memory (/dev/shm) when
// the machine has one, else dir/mail. The databases stay in the temporary folder on disk.
// On this machine's disk (ext4 without a journal) creating a file costs 0.05 ms normally but
// 0.3–0.9 ms for minutes after many files were deleted nearby (ext4 then skips the freed
// inodes one by one); a second run of the bench within minutes of the first, or of
// `make test`, measured that instead of Lobby. The machine table reports the disk's cost.
func mailDir(dir string) string {
	if d, err := os.MkdirTemp("/dev/shm", "lobby-bench-mail-"); err == nil {
		removeLater(d)
		return d
	}
	return filepath.Join(dir, "mail")
}

// leftovers are the folders of stopped Lobbies, removed when all sections are done, so that
// no section runs just after another deleted thousands of files (see mailDir).
var leftovers struct {
	sync.Mutex
	dirs []string
}

func removeLater(dir string) {
	leftovers.Lock()
	defer leftovers.Unlock()
	leftovers.dirs = append(leftovers.dirs, dir)
}

// removeLeftovers removes the folders removeLater kept.
func removeLeftovers() {
	leftovers.Lock()
	defer leftovers.Unlock()
	for _, d := range leftovers.dirs {
		os.RemoveAll(d)
	}
	leftovers.dirs = nil
}

// get requests path with an optional Cookie header and returns the status, reading the body.
func (l *lobby) get(ctx context.Context, path, cookie string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, l.Base+path, nil)
	if err != nil {
		return 0, err
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	resp, err := l.HTTP.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}

// apiJSON sends a JSON API request with the bearer token and decodes the answer into out.
func apiJSON(ctx context.Context, c *fasthttp.Client, base, token, method, path string, in, out any) (int, error) {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return 0, err
		}
	}
	code, b, err := fetch(ctx, c, method, base+path, string(body), "Authorization", "Bearer "+token,
		"Content-Type", "application/json")
	if err != nil {
		return 0, err
	}
	if code >= 300 {
		return code, fmt.Errorf("%s %s answered %d: %.200s", method, path, code, b)
	}
	if out != nil {
		return code, json.Unmarshal(b, out)
	}
	return code, nil
}

// inviteResult is the part of POST /api/v1/invitations' answer the benchmarks check.
type inviteResult struct {
	Created []struct {
		ID        string `json:"id"`
		AcceptURL string `json:"accept_url"`
	} `json:"created"`
	Errors []json.RawMessage `json:"errors"`
}

// invite posts one batch of addresses with notify true and checks that all were created.
func (l *lobby) invite(ctx context.Context, emails []string) error {
	var out inviteResult
	code, err := apiJSON(ctx, l.Load, l.Base, l.Token, "POST", "/api/v1/invitations",
		map[string]any{"emails": emails, "role": "member", "notify": true}, &out)
	if err != nil {
		return err
	}
	if code != http.StatusCreated || len(out.Created) != len(emails) {
		return fmt.Errorf("POST /api/v1/invitations answered %d with %d created and %d refused of %d", code,
			len(out.Created), len(out.Errors), len(emails))
	}
	return nil
}

// count runs a SELECT count(*) query on the read pool.
func count(ctx context.Context, db *store.DB, query string, args ...any) (int64, error) {
	var n int64
	err := db.R.QueryRowContext(ctx, query, args...).Scan(&n)
	return n, err
}

// roleID reads the id of an organization's role by key.
func roleID(ctx context.Context, db *store.DB, orgID, key string) (string, error) {
	var id string
	err := db.R.QueryRowContext(ctx, `SELECT id FROM roles WHERE org_id = ? AND key = ?`, orgID, key).Scan(&id)
	return id, err
}

// moduleRoot finds the folder holding Lobby's go.mod, from the working directory upwards.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.Contains(string(b), "module github.com/lobby/lobby\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("cannot find Lobby's go.mod above the working directory; run from the checkout")
		}
		dir = parent
	}
}
