package web_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/jobs"
	"github.com/lobby/lobby/app/mail"
	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/app/store/storetest"
	"github.com/lobby/lobby/app/web"
	"github.com/lobby/lobby/auth/password"
	"github.com/lobby/lobby/auth/session"
	"github.com/lobby/lobby/auth/throttle"
)

type site struct {
	t     *testing.T
	app   *fiber.App
	db    *store.DB
	svc   *org.Service
	clock *storetest.Clock
	org   store.Org
	admin org.Actor
	owner org.Actor // Olga, who sends the invitations
	// tallies counts the runs of the console's one job, "tally", which does nothing else.
	tallies *atomic.Int32
}

var (
	renderer     = sync.OnceValues(func() (*web.Renderer, error) { return web.NewRenderer(os.DirFS("../../public")) })
	mailRenderer = sync.OnceValues(func() (*mail.Renderer, error) { return mail.NewRenderer(os.DirFS("../../public")) })
)

func newSite(t *testing.T, set ...func(*org.Options)) *site {
	t.Helper()
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	c := storetest.NewClock(time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC))
	opts := org.Options{BaseURL: "http://lobby.test", Now: c.Now, Hasher: password.New(4)}
	for _, f := range set {
		f(&opts)
	}
	svc := org.New(db, opts)
	o, err := svc.CreateOrg(ctx, org.SystemActor("cli", "t", ""), "acme", "Acme")
	if err != nil {
		t.Fatal(err)
	}
	r, err := renderer()
	if err != nil {
		t.Fatal(err)
	}
	mr, err := mailRenderer()
	if err != nil {
		t.Fatal(err)
	}
	tallies := new(atomic.Int32)
	sched := jobs.New(db, jobs.Options{Now: c.Now, Logger: testLogger()})
	if err := sched.Register("tally", "@every 1h", "Counts its runs.", func(context.Context) (string, error) {
		return "counted " + strconv.Itoa(int(tallies.Add(1))), nil
	}); err != nil {
		t.Fatal(err)
	}
	app := fiber.New(fiber.Config{DisableStartupMessage: true, Immutable: true}) // as app/http.go runs it
	web.Mount(app, web.Deps{Org: svc, Jobs: sched, Sessions: session.New(db, c.Now, 12*time.Hour, 30*24*time.Hour),
		Throttle: throttle.New(db, c.Now), Render: r, Log: testLogger(),
		BaseURL: "http://lobby.test", LoginMaxFailures: 5, LoginWindow: 15 * time.Minute,
		ClientIP: testClientIP, MailPreview: mr.Render})
	s := &site{t: t, app: app, db: db, svc: svc, clock: c, org: o, admin: org.SystemActor("cli", "t", o.ID),
		tallies: tallies}
	m, err := svc.AddMember(ctx, s.admin, org.NewMember{Email: "olga@acme.test", Name: "Olga", Role: org.RoleOwner})
	if err != nil {
		t.Fatal(err)
	}
	u, err := svc.User(ctx, m.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if s.owner, err = svc.ActorFor(ctx, u, o.ID, ""); err != nil {
		t.Fatal(err)
	}
	return s
}

// testClientIP is the browser's address: 192.0.2.1 unless the request says otherwise in
// X-Test-Client-IP, so a test can be two people at once.
func testClientIP(c *fiber.Ctx) string {
	if ip := c.Get("X-Test-Client-IP"); ip != "" {
		return ip
	}
	return "192.0.2.1"
}

// browser keeps cookies between requests like a real one.
type browser struct {
	s       *site
	cookies map[string]string
	headers map[string]string
}

func (s *site) browser() *browser {
	return &browser{s: s, cookies: map[string]string{}, headers: map[string]string{}}
}

type page struct {
	status   int
	body     string
	location string
	header   http.Header
}

func (b *browser) do(method, path string, form url.Values) page {
	b.s.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	for k, v := range b.headers {
		req.Header.Set(k, v)
	}
	resp, err := b.s.app.Test(req, -1)
	if err != nil {
		b.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	for _, ck := range resp.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(b.cookies, ck.Name)
		} else {
			b.cookies[ck.Name] = ck.Value
		}
	}
	return page{status: resp.StatusCode, body: string(raw), location: resp.Header.Get("Location"), header: resp.Header}
}

func (b *browser) get(path string) page { return b.do("GET", path, nil) }

// post sends a form with the browser's CSRF token, as a page's form would.
func (b *browser) post(path string, fields ...string) page {
	b.s.t.Helper()
	f := url.Values{"_csrf": {b.cookies["lobby_csrf"]}}
	for i := 0; i+1 < len(fields); i += 2 {
		f.Set(fields[i], fields[i+1])
	}
	return b.do("POST", path, f)
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// mustContain fails unless the page has every string.
func (p page) mustContain(t *testing.T, want ...string) {
	t.Helper()
	body := html.UnescapeString(p.body)
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Fatalf("page (%d) lacks %q:\n%s", p.status, w, p.body)
		}
	}
}

// invite creates an invitation and returns its link path.
func (s *site) invite(email string) string {
	s.t.Helper()
	res, err := s.svc.Invite(context.Background(), s.owner, org.InviteRequest{Emails: []string{email}, Notify: true})
	if err != nil || len(res.Created) != 1 {
		s.t.Fatalf("invite: %v %+v", err, res.Errors)
	}
	return strings.TrimPrefix(res.Created[0].AcceptURL, "http://lobby.test")
}

// member creates an account with a password and a membership.
func (s *site) member(email, pw string) {
	s.t.Helper()
	h, err := s.svc.HashPassword(context.Background(), pw)
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.svc.AddMember(context.Background(), s.admin, org.NewMember{Email: email, Name: strings.Split(email, "@")[0], PasswordHash: h}); err != nil {
		s.t.Fatal(err)
	}
}

func (s *site) count(q string, args ...any) int {
	s.t.Helper()
	var n int
	if err := s.db.R.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		s.t.Fatal(err)
	}
	return n
}

var _ = csrfField

// testLogger is silent unless LOBBY_TEST_LOG is set.
func testLogger() *slog.Logger {
	if os.Getenv("LOBBY_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
