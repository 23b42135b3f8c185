package scim_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/app/store/storetest"
	"github.com/lobby/lobby/auth/password"
	"github.com/lobby/lobby/scim"
)

// env is one organization with a SCIM token, served over HTTP from a real libSQL file.
type env struct {
	t      *testing.T
	ctx    context.Context
	db     *store.DB
	svc    *org.Service
	clock  *storetest.Clock
	org    store.Org
	admin  org.Actor
	token  string
	srv    server
	policy org.SCIMPolicy
}

func newEnv(t *testing.T, policy ...org.SCIMPolicy) *env {
	t.Helper()
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	c := storetest.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	svc := org.New(db, org.Options{BaseURL: "https://lobby.example", Now: c.Now, Hasher: password.New(1)})
	o, err := svc.CreateOrg(ctx, org.SystemActor("cli", "test", ""), "acme", "Acme")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, ctx: ctx, db: db, svc: svc, clock: c, org: o, admin: org.SystemActor("cli", "test", o.ID),
		policy: org.SCIMPolicy{Role: "member", MaxRole: "member", DeleteMode: "delete"}}
	if len(policy) > 0 {
		e.policy = policy[0]
	}
	if _, err := svc.AddMember(ctx, e.admin, org.NewMember{Email: "alice@acme.test", Name: "Alice", Role: org.RoleOwner}); err != nil {
		t.Fatal(err)
	}
	e.token = e.newToken(o.ID, "Entra provisioning")
	e.srv = serve(t, scim.Deps{Org: svc, Policy: e.policy, BaseURL: "https://lobby.example", MaxBody: 64 << 10})
	return e
}

// server is a SCIM endpoint listening on a local port.
type server struct{ URL string }

// serve mounts SCIM on a Fiber app as app/http.go does and serves it over real HTTP, so that
// tests take the same routes as production, the lookup fast path among them.
func serve(t testing.TB, d scim.Deps) server {
	t.Helper()
	if d.Log == nil {
		// What Lobby logs goes with the test that caused it, shown only when it fails or with -v.
		d.Log = slog.New(slog.NewTextHandler(t.Output(), nil))
	}
	f := fiber.New(fiber.Config{DisableStartupMessage: true, Immutable: true}) // as app/http.go runs it
	scim.Mount(f, d)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = f.Listener(ln) }()
	t.Cleanup(func() { _ = f.Shutdown() })
	return server{URL: "http://" + ln.Addr().String()}
}

// newToken makes a SCIM token for an organization.
func (e *env) newToken(orgID, name string) string {
	e.t.Helper()
	tok, err := e.svc.CreateToken(e.ctx, org.SystemActor("cli", "test", orgID), "scim", name)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok.Plain
}

// resp is one answer: its status, headers, raw body and the body as JSON when it is JSON.
type resp struct {
	status int
	header http.Header
	raw    string
	body   map[string]any
}

// call sends a request with the env's token unless headers set another Authorization.
func (e *env) call(method, path, body string, headers ...string) resp {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+"/scim/v2"+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.token)
	req.Header.Set("Content-Type", "application/scim+json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := resp{status: res.StatusCode, header: res.Header, raw: string(b)}
	_ = json.Unmarshal(b, &r.body)
	if passwordKey.MatchString(r.raw) {
		e.t.Fatalf("%s %s answered with a password: %s", method, path, r.raw)
	}
	return r
}

// passwordKey finds a "password" member in a JSON answer (the word in the schema of the User
// resource is a value, not a key).
var passwordKey = regexp.MustCompile(`(?i)"password"\s*:`)

// must fails the test unless the answer has the status.
func (r resp) must(t *testing.T, status int) resp {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.raw)
	}
	return r
}

// str reads a string at a dotted path of the JSON body ("name.familyName", "Resources.0.id").
func (r resp) str(path string) string {
	v := r.at(path)
	s, _ := v.(string)
	return s
}

func (r resp) at(path string) any {
	var cur any = r.body
	for _, p := range strings.Split(path, ".") {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[p]
		case []any:
			i := 0
			for _, ch := range p {
				i = i*10 + int(ch-'0')
			}
			if i >= len(c) {
				return nil
			}
			cur = c[i]
		default:
			return nil
		}
	}
	return cur
}

// enterprise reads an attribute of the enterprise extension.
func (r resp) enterprise(key string) any {
	ext, _ := r.body["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"].(map[string]any)
	return ext[key]
}

func (r resp) num(path string) int {
	f, _ := r.at(path).(float64)
	return int(f)
}

// fixture reads the request body of one of the library's recorded identity provider exchanges.
func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Request json.RawMessage `json:"request"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return string(f.Request)
}

// audit returns the organization's audit entries with the given action, newest first.
func (e *env) audit(action string) []store.AuditEntry {
	e.t.Helper()
	l, err := store.ListAudit(e.ctx, e.db.R, e.org.ID, store.AuditFilter{Action: action, Page: store.Page{Limit: 1000}})
	if err != nil {
		e.t.Fatal(err)
	}
	return l
}

func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.R.QueryRowContext(e.ctx, query, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// createUser provisions a user with a minimal body and returns its id.
func (e *env) createUser(userName, externalID string) string {
	e.t.Helper()
	body := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"` + userName + `","externalId":"` + externalID +
		`","active":true,"name":{"givenName":"Test","familyName":"User"}}`
	r := e.call("POST", "/Users", body).must(e.t, 201)
	return r.str("id")
}
