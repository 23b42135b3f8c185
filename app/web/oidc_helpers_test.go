package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/config"
	"github.com/lobby/lobby/app/logbuf"
	"github.com/lobby/lobby/app/web"
	"github.com/lobby/lobby/auth/oidc"
	"github.com/lobby/lobby/auth/oidc/oidctest"
	"github.com/lobby/lobby/auth/session"
	"github.com/lobby/lobby/auth/throttle"
)

const ssoCallback = "http://lobby.test/auth/oidc/test/callback"

// ssoSite is a site with one OpenID provider, "Test IdP", running for real on a loopback port.
type ssoSite struct {
	*site
	op  *oidctest.OP
	log *logbuf.Buffer
}

// newSSOSite starts a provider knowing Ann (ann@example.com, verified) and mounts the pages
// with it configured. mod changes the provider's config (a wrong secret, allowed domains).
func newSSOSite(t *testing.T, mod ...func(*config.OIDCProvider)) *ssoSite {
	t.Helper()
	s := newSite(t)
	// Real browsers drop cookies that expired: move the fixed clock to today.
	s.clock.Add(time.Since(s.clock.Now()).Truncate(time.Hour))
	o := oidctest.New(t)
	o.AddClient("lobby", "client-secret", ssoCallback, true)
	o.AddUser(oidctest.User{Subject: "ann-sub", Email: "ann@example.com", EmailVerified: true, Name: "Ann Example"})
	o.SignInAs("ann-sub")
	cfg := config.OIDCProvider{ID: "test", Name: "Test IdP", Issuer: o.Issuer, ClientID: "lobby", ClientSecret: "client-secret",
		Scopes: config.DefaultScopes, NameClaim: "name"}
	for _, m := range mod {
		m(&cfg)
	}
	reg := oidc.NewRegistry([]config.OIDCProvider{cfg}, "http://lobby.test", oidc.Options{})
	s.svc.SetSSOProviders(oidc.Names(reg))
	r, err := renderer()
	if err != nil {
		t.Fatal(err)
	}
	logs := &logbuf.Buffer{}
	app := fiber.New(fiber.Config{DisableStartupMessage: true, Immutable: true}) // as app/http.go runs it
	web.Mount(app, web.Deps{Org: s.svc, Sessions: session.New(s.db, s.clock.Now, 12*time.Hour, 30*24*time.Hour),
		Throttle: throttle.New(s.db, s.clock.Now), Render: r, Log: slog.New(slog.NewTextHandler(logs, nil)),
		BaseURL: "http://lobby.test", LoginMaxFailures: 5, LoginWindow: 15 * time.Minute,
		ClientIP: func(c *fiber.Ctx) string { return "192.0.2.1" }, OIDC: reg, Flows: oidc.NewFlows(s.db, s.clock.Now)})
	s.app = app
	return &ssoSite{site: s, op: o, log: logs}
}

// web is a browser that talks HTTP to both Lobby (in-process) and the provider (loopback),
// with a cookie jar, following redirects like a real one.
type webBrowser struct {
	t      *testing.T
	s      *ssoSite
	jar    *cookiejar.Jar
	c      *http.Client
	holdAt string // stop before following a redirect to a URL with this prefix
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func (s *ssoSite) web() *webBrowser {
	jar, _ := cookiejar.New(nil)
	b := &webBrowser{t: s.t, s: s, jar: jar}
	b.c = &http.Client{Jar: jar, Timeout: 20 * time.Second,
		Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
			if r.URL.Host == "lobby.test" {
				return s.app.Test(r, -1)
			}
			return http.DefaultTransport.RoundTrip(r)
		}),
		CheckRedirect: func(r *http.Request, _ []*http.Request) error {
			if b.holdAt != "" && strings.HasPrefix(r.URL.String(), b.holdAt) {
				return http.ErrUseLastResponse
			}
			return nil
		}}
	return b
}

func (b *webBrowser) result(resp *http.Response, err error) page {
	b.t.Helper()
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	loc := resp.Request.URL.String()
	if l := resp.Header.Get("Location"); l != "" {
		loc = l
	}
	return page{status: resp.StatusCode, body: string(raw), location: loc, header: resp.Header}
}

func (b *webBrowser) get(path string) page {
	b.t.Helper()
	if strings.HasPrefix(path, "/") {
		path = "http://lobby.test" + path
	}
	return b.result(b.c.Get(path))
}

func (b *webBrowser) cookie(name string) string {
	u, _ := url.Parse("http://lobby.test/")
	for _, c := range b.jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// post sends a Lobby form with the browser's CSRF token (fetching a page first if it has none).
func (b *webBrowser) post(path string, fields ...string) page {
	b.t.Helper()
	if b.cookie("lobby_csrf") == "" {
		b.get("/login")
	}
	f := url.Values{"_csrf": {b.cookie("lobby_csrf")}}
	for i := 0; i+1 < len(fields); i += 2 {
		f.Set(fields[i], fields[i+1])
	}
	return b.result(b.c.PostForm("http://lobby.test"+path, f))
}

var opForm = regexp.MustCompile(`name="id" value="([^"]+)"`)

// sso presses a provider button (a POST to path) and, at the provider's login page, chooses
// allow or deny; it returns the Lobby page the browser ends on.
func (b *webBrowser) sso(path, choice string, fields ...string) page {
	b.t.Helper()
	p := b.post(path, fields...)
	if !strings.HasPrefix(p.location, b.s.op.Issuer+"/login") {
		return p
	}
	m := opForm.FindStringSubmatch(p.body)
	if m == nil {
		b.t.Fatalf("no form on the provider's login page: %s", p.body)
	}
	return b.result(b.c.PostForm(b.s.op.Issuer+"/login", url.Values{"id": {m[1]}, "choice": {choice}}))
}

// signedInAs reports who the dashboard says is signed in, or "" when it sends to sign-in.
func (b *webBrowser) signedInAs() string {
	b.t.Helper()
	p := b.get("/profile")
	if p.status != 200 || !strings.Contains(p.body, "Signed in as") {
		return ""
	}
	m := regexp.MustCompile(`Signed in as ([^<\s]+)`).FindStringSubmatch(p.body)
	return m[1]
}
