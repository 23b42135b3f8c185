package oidc_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lobby/lobby/app/config"
	"github.com/lobby/lobby/app/store/storetest"
	"github.com/lobby/lobby/auth/oidc"
	"github.com/lobby/lobby/auth/oidc/oidctest"
)

const redirect = "http://lobby.test/auth/oidc/test/callback"

type env struct {
	t       *testing.T
	op      *oidctest.OP
	reg     *oidc.Registry
	flows   *oidc.Flows
	p       *oidc.Provider
	client  *http.Client
	binding string
}

// newEnv starts a provider with one client and one verified user, and a Registry for it.
func newEnv(t *testing.T, mod ...func(*config.OIDCProvider)) *env {
	t.Helper()
	t.Parallel()
	o := oidctest.New(t)
	o.AddClient("lobby", "s3cret", redirect, true)
	o.AddUser(oidctest.User{Subject: "u1", Email: "Ann@Example.COM", EmailVerified: true, Name: "Ann  Example"})
	o.SignInAs("u1")
	cfg := config.OIDCProvider{ID: "test", Name: "Test IdP", Issuer: o.Issuer, ClientID: "lobby", ClientSecret: "s3cret",
		Scopes: config.DefaultScopes, NameClaim: "name"}
	for _, m := range mod {
		m(&cfg)
	}
	reg := oidc.NewRegistry([]config.OIDCProvider{cfg}, "http://lobby.test/", oidc.Options{})
	p, _ := reg.Get("test")
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(r *http.Request, _ []*http.Request) error {
		if r.URL.Host == "lobby.test" {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	return &env{t: t, op: o, reg: reg, flows: oidc.NewFlows(storetest.Open(t), nil), p: p, client: c, binding: oidc.NewBinding()}
}

var formID = regexp.MustCompile(`name="id" value="([^"]+)"`)

// signIn runs the browser part: from the provider URL through its login page (choice allow or
// deny) to the redirect back to Lobby, and returns that redirect's query.
func (e *env) signIn(authURL, choice string) url.Values {
	e.t.Helper()
	resp, err := e.client.Get(authURL)
	if err != nil {
		e.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := formID.FindSubmatch(body)
	if m == nil {
		e.t.Fatalf("no login form at the provider (%d): %s", resp.StatusCode, body)
	}
	resp, err = e.client.PostForm(e.op.Issuer+"/login", url.Values{"id": {string(m[1])}, "choice": {choice}})
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(loc.String(), redirect+"?") {
		e.t.Fatalf("the provider did not send the browser back to the exact redirect URI: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	return loc.Query()
}

// run does a whole sign-in and returns the identity or the error.
func (e *env) run() (oidc.Identity, error) {
	e.t.Helper()
	ctx := context.Background()
	u, err := e.flows.Start(ctx, e.p, e.binding, oidc.Flow{Purpose: "login", Next: "/x"})
	if err != nil {
		e.t.Fatal(err)
	}
	q := e.signIn(u, "allow")
	f, err := e.flows.Finish(ctx, "test", q.Get("state"), e.binding)
	if err != nil {
		e.t.Fatal(err)
	}
	if f.Next != "/x" || f.Purpose != "login" {
		e.t.Fatalf("flow came back changed: %+v", f)
	}
	return e.p.Exchange(ctx, q.Get("code"), f.Verifier, f.Nonce)
}

func TestSignInReturnsVerifiedIdentity(t *testing.T) {
	e := newEnv(t)
	id, err := e.run()
	if err != nil {
		t.Fatal(err)
	}
	want := oidc.Identity{Issuer: e.op.Issuer, Subject: "u1", Email: "ann@example.com", ClaimedEmail: "Ann@Example.COM", Name: "Ann Example"}
	if id != want {
		t.Fatalf("identity = %+v, want %+v", id, want)
	}
}

func TestAuthURLUsesPKCEAndExactRedirect(t *testing.T) {
	e := newEnv(t)
	u, err := e.flows.Start(context.Background(), e.p, e.binding, oidc.Flow{Purpose: "login"})
	if err != nil {
		t.Fatal(err)
	}
	q, _ := url.Parse(u)
	v := q.Query()
	if v.Get("code_challenge_method") != "S256" || len(v.Get("code_challenge")) != 43 || v.Get("nonce") == "" ||
		len(v.Get("state")) != 43 || v.Get("redirect_uri") != redirect || v.Get("response_type") != "code" {
		t.Fatalf("authorization URL lacks PKCE S256, nonce, state or the exact redirect: %s", u)
	}
}

func TestClaimsFromUserinfoWhenNotInIDToken(t *testing.T) {
	e := newEnv(t)
	e.op.AddClient("lobby", "s3cret", redirect, false)
	id, err := e.run()
	if err != nil {
		t.Fatal(err)
	}
	if id.Email != "ann@example.com" || id.Name != "Ann Example" {
		t.Fatalf("claims from userinfo missing: %+v", id)
	}
}

func TestEmailCountsOnlyWhenVerified(t *testing.T) {
	for name, change := range map[string]func(map[string]any){
		"false":  func(c map[string]any) { c["email_verified"] = false },
		"string": func(c map[string]any) { c["email_verified"] = "no" },
		"absent": func(c map[string]any) { delete(c, "email_verified") },
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			e.op.Tamper(change)
			id, err := e.run()
			if err != nil {
				t.Fatal(err)
			}
			if id.Email != "" || id.ClaimedEmail != "Ann@Example.COM" || id.Subject != "u1" {
				t.Fatalf("unverified email was trusted: %+v", id)
			}
		})
	}
	t.Run("not verified at the provider", func(t *testing.T) {
		e := newEnv(t)
		e.op.AddUser(oidctest.User{Subject: "u1", Email: "ann@example.com", EmailVerified: false})
		id, err := e.run()
		if err != nil || id.Email != "" {
			t.Fatalf("unverified email was trusted: %+v %v", id, err)
		}
	})
}

// TestHostileTokens has the provider issue ID tokens with one thing wrong, signed with its real
// key (or, for the key change, another one), and checks each is refused with the right kind.
func TestHostileTokens(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(c map[string]any)
		key    bool
		kind   oidc.Kind
		code   string
	}{
		{"wrong nonce", func(c map[string]any) { c["nonce"] = "attacker" }, false, oidc.KindInvalid, "wrong_nonce"},
		{"no nonce", func(c map[string]any) { delete(c, "nonce") }, false, oidc.KindInvalid, "wrong_nonce"},
		{"other audience", func(c map[string]any) { c["aud"] = []string{"someone-else"} }, false, oidc.KindInvalid, "wrong_audience"},
		{"two audiences no azp", func(c map[string]any) { c["aud"] = []string{"lobby", "other"}; delete(c, "azp") }, false, oidc.KindInvalid, "wrong_audience"},
		{"other issuer", func(c map[string]any) { c["iss"] = "https://evil.example" }, false, oidc.KindInvalid, "wrong_issuer"},
		{"expired (clock skew)", func(c map[string]any) { c["exp"] = time.Now().Add(-10 * time.Minute).Unix() }, false, oidc.KindClock, "id_token_expired"},
		{"not yet valid", func(c map[string]any) { c["nbf"] = time.Now().Add(time.Hour).Unix() }, false, oidc.KindClock, "id_token_not_yet_valid"},
		{"changed key", nil, true, oidc.KindKey, "bad_signature"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.op.Tamper(tc.change)
			if tc.key {
				e.op.SignWith(oidctest.NewKey())
			}
			_, err := e.run()
			pe, ok := oidc.AsError(err)
			if !ok || pe.Kind != tc.kind || pe.Code != tc.code {
				t.Fatalf("err = %v, want kind %s code %s", err, tc.kind, tc.code)
			}
		})
	}
}

func TestWrongClientSecret(t *testing.T) {
	e := newEnv(t, func(c *config.OIDCProvider) { c.ClientSecret = "wrong" })
	_, err := e.run()
	pe, ok := oidc.AsError(err)
	if !ok || pe.Kind != oidc.KindClient {
		t.Fatalf("err = %v, want client_rejected", err)
	}
	for _, a := range pe.LogAttrs() {
		if s, ok := a.(string); ok && strings.Contains(s, "wrong") {
			t.Fatalf("log line carries the secret: %v", pe.LogAttrs())
		}
	}
}

func TestDeniedConsent(t *testing.T) {
	e := newEnv(t)
	u, _ := e.flows.Start(context.Background(), e.p, e.binding, oidc.Flow{Purpose: "login"})
	q := e.signIn(u, "deny")
	if q.Get("error") != "access_denied" || q.Get("code") != "" {
		t.Fatalf("provider answer = %v", q)
	}
	if pe := oidc.CallbackError("test", q.Get("error"), q.Get("error_description")); pe.Kind != oidc.KindDenied {
		t.Fatalf("kind = %s", pe.Kind)
	}
	if pe := oidc.CallbackError("test", "invalid_client\r\n<script>", ""); pe.Kind != oidc.KindProvider || strings.ContainsAny(pe.Code, "\r\n") {
		t.Fatalf("hostile error code kept: %+v", pe)
	}
}

func TestCheckNonce(t *testing.T) {
	t.Parallel()
	if oidc.CheckNonce("abc", "abc") != nil || oidc.CheckNonce("abd", "abc") == nil || oidc.CheckNonce("", "") == nil {
		t.Fatal("CheckNonce")
	}
}

func TestAllowedDomains(t *testing.T) {
	t.Parallel()
	reg := oidc.NewRegistry([]config.OIDCProvider{{ID: "a", Issuer: "https://x", AllowedDomains: []string{"Example.com"}},
		{ID: "b", Issuer: "https://y"}}, "https://l", oidc.Options{})
	a, _ := reg.Get("a")
	b, _ := reg.Get("b")
	if !a.DomainAllowed("p@example.com") || a.DomainAllowed("p@evil-example.com") || a.DomainAllowed("p@sub.example.com") ||
		a.DomainAllowed("") || !b.DomainAllowed("p@any.org") {
		t.Fatal("DomainAllowed")
	}
	if a.RedirectURL != "https://l/auth/oidc/a/callback" {
		t.Fatalf("redirect = %s", a.RedirectURL)
	}
}
