package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lobby/lobby/app"
	"github.com/lobby/lobby/app/config"
	"github.com/lobby/lobby/app/logbuf"
	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

const (
	ownerEmail    = "olga@acme.test"
	ownerPassword = "olga's long password"
)

// lobby is a whole Lobby built by app.New over a fresh libSQL file, with its log captured at
// debug level, an organization, its owner Olga (who can sign in) and an API token.
type lobby struct {
	t     *testing.T
	a     *app.App
	logs  *logbuf.Buffer
	org   store.Org
	owner org.Actor
	api   string // an API token of the organization
}

func newLobby(t *testing.T, baseURL string) *lobby {
	t.Helper()
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	cfg := config.Default()
	cfg.Server.BaseURL = baseURL
	cfg.Database.URL = "file:" + filepath.Join(dir, "lobby.db")
	cfg.Mail.Dir = filepath.Join(dir, "mail")
	cfg.Jobs.Enabled = false
	logs := &logbuf.Buffer{}
	a, err := app.New(ctx, cfg, os.DirFS("../public"), app.Options{
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	l := &lobby{t: t, a: a, logs: logs}
	if l.org, err = a.Org.CreateOrg(ctx, org.SystemActor("cli", "t", ""), "acme", "Acme"); err != nil {
		t.Fatal(err)
	}
	hash, err := a.Org.HashPassword(ctx, ownerPassword)
	if err != nil {
		t.Fatal(err)
	}
	m, err := a.Org.AddMember(ctx, org.SystemActor("cli", "t", l.org.ID), org.NewMember{Email: ownerEmail, Name: "Olga",
		PasswordHash: hash, Role: org.RoleOwner})
	if err != nil {
		t.Fatal(err)
	}
	u, err := a.Org.User(ctx, m.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if l.owner, err = a.Org.ActorFor(ctx, u, l.org.ID, ""); err != nil {
		t.Fatal(err)
	}
	tok, err := a.Org.CreateToken(ctx, l.owner, "api", "tests")
	if err != nil {
		t.Fatal(err)
	}
	l.api = tok.Plain
	return l
}

// answer is one response, its body read.
type answer struct {
	status int
	header http.Header
	body   string
}

// cookie finds a Set-Cookie of the answer by name.
func (a answer) cookie(name string) *http.Cookie {
	for _, line := range a.header.Values("Set-Cookie") {
		if c, err := http.ParseSetCookie(line); err == nil && c.Name == name {
			return c
		}
	}
	return nil
}

// do sends a request through the app's whole Fiber stack, middleware included.
func (l *lobby) do(req *http.Request) answer {
	l.t.Helper()
	resp, err := l.a.HTTP.Test(req, -1)
	if err != nil {
		l.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// request builds a request; a form body is url-encoded, any other body is sent as JSON.
func request(method, path string, form url.Values, json string) *http.Request {
	var body io.Reader
	switch {
	case form != nil:
		body = strings.NewReader(form.Encode())
	case json != "":
		body = strings.NewReader(json)
	}
	req, _ := http.NewRequest(method, "http://lobby.internal"+path, body)
	switch {
	case form != nil:
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	case json != "":
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

// outbox returns the data of every queued email, by template.
func (l *lobby) outbox() map[string][]string {
	l.t.Helper()
	rows, err := l.a.DB.R.Query(`SELECT template, data FROM outbox ORDER BY id`)
	if err != nil {
		l.t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var tmpl, data string
		if err := rows.Scan(&tmpl, &data); err != nil {
			l.t.Fatal(err)
		}
		out[tmpl] = append(out[tmpl], data)
	}
	return out
}
