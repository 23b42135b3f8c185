// Package oidctest runs a real, OpenID-certified provider (zitadel/oidc's op package) on a
// loopback port for tests: confidential web clients, a one-button login page, and switches to
// deny consent, go down, or tamper with the ID tokens it issues (re-signed with its own key
// or another one) to test how Lobby handles a hostile or broken provider. Only tests import it.
package oidctest

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// User is a person the provider knows.
type User struct {
	Subject       string
	Email         string
	EmailVerified bool // false leaves email_verified out of the claims
	Name          string
}

// OP is a running provider. Its methods are safe to call while requests are in flight.
type OP struct {
	// Issuer is the provider's URL, http://127.0.0.1:<port>.
	Issuer string

	srv      *httptest.Server
	st       *storage
	provider *op.Provider
	down     atomic.Bool

	mu     sync.Mutex
	next   string
	tamper func(claims map[string]any)
	resign *rsa.PrivateKey
}

var sharedKey = sync.OnceValue(func() *rsa.PrivateKey { return NewKey() })

// NewKey returns a fresh 2048-bit RSA key (for SignWith).
func NewKey() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}

// New starts a provider on a loopback port; it stops when the test ends.
func New(t testing.TB) *OP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	o := &OP{Issuer: "http://" + ln.Addr().String()}
	o.st = &storage{clients: map[string]*client{}, users: map[string]User{}, requests: map[string]*authRequest{},
		codes: map[string]string{}, tokens: map[string]accessToken{}, key: &signingKey{id: uuid.NewString(), key: sharedKey()}}
	cfg := &op.Config{CryptoKey: sha256.Sum256([]byte(o.Issuer)), CodeMethodS256: true, AuthMethodPost: true,
		SupportedUILocales: []language.Tag{language.English}}
	o.provider, err = op.NewProvider(cfg, o.st, op.StaticIssuer(o.Issuer), op.WithAllowInsecure())
	if err != nil {
		t.Fatal(err)
	}
	login := op.NewIssuerInterceptor(o.provider.IssuerFromRequest)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", o.loginPage)
	mux.HandleFunc("POST /login", login.HandlerFunc(o.loginSubmit))
	mux.Handle("/", o.provider)
	o.srv = &httptest.Server{Listener: ln, Config: &http.Server{Handler: o.wrap(mux), ReadHeaderTimeout: 10 * time.Second}}
	o.srv.Start()
	t.Cleanup(o.srv.Close)
	return o
}

// AddClient registers a confidential client. claimsInIDToken puts email and name in the ID
// token; without it they come only from the userinfo endpoint, as with several real providers.
func (o *OP) AddClient(id, secret, redirectURI string, claimsInIDToken bool) {
	o.st.mu.Lock()
	defer o.st.mu.Unlock()
	o.st.clients[id] = &client{id: id, secret: secret, redirect: redirectURI, claimsInIDToken: claimsInIDToken,
		login: func(reqID string) string { return "/login?authRequestID=" + reqID }}
}

// AddUser adds or replaces a person.
func (o *OP) AddUser(u User) {
	o.st.mu.Lock()
	defer o.st.mu.Unlock()
	o.st.users[u.Subject] = u
}

// SignInAs chooses who the login page signs in from now on.
func (o *OP) SignInAs(subject string) {
	o.mu.Lock()
	o.next = subject
	o.mu.Unlock()
}

// Tamper changes the claims of every ID token issued from now on (nil stops); the token is
// re-signed with the provider's key, so only the changed claims are wrong.
func (o *OP) Tamper(f func(claims map[string]any)) {
	o.mu.Lock()
	o.tamper = f
	o.mu.Unlock()
}

// SignWith re-signs every ID token from now on with key under the provider's key id (nil
// stops): the provider changed its key without publishing it.
func (o *OP) SignWith(key *rsa.PrivateKey) {
	o.mu.Lock()
	o.resign = key
	o.mu.Unlock()
}

// SetDown makes every endpoint answer 503 (true) or work again (false).
func (o *OP) SetDown(down bool) { o.down.Store(down) }

// Key is the provider's signing key and its id, for crafting tokens in tests.
func (o *OP) Key() (*rsa.PrivateKey, string) { return o.st.key.key, o.st.key.id }

func (o *OP) loginPage(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("authRequestID")
	o.mu.Lock()
	sub := o.next
	o.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html><title>Test provider</title><h1>Sign in to the test provider</h1>
<form method="post" action="/login"><input type="hidden" name="id" value="%s">
<p>Continue as <b id="who">%s</b>?</p>
<button type="submit" name="choice" value="allow" id="allow">Allow</button>
<button type="submit" name="choice" value="deny" id="deny">Deny</button></form>`, html.EscapeString(id), html.EscapeString(sub))
}

func (o *OP) loginSubmit(w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("id")
	req, err := o.st.AuthRequestByID(r.Context(), id)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if r.FormValue("choice") != "allow" {
		op.AuthRequestError(w, r, req, oidc.ErrAccessDenied().WithDescription("the person declined"), o.provider)
		return
	}
	o.mu.Lock()
	sub := o.next
	o.mu.Unlock()
	o.st.mu.Lock()
	a := o.st.requests[id]
	a.subject, a.done, a.authTime = sub, true, time.Now()
	o.st.mu.Unlock()
	http.Redirect(w, r, op.AuthCallbackURL(o.provider)(r.Context(), id), http.StatusFound)
}

// wrap answers 503 while down and rewrites ID tokens in token responses while tampering.
func (o *OP) wrap(next http.Handler) http.Handler {
	tokenPath := o.provider.TokenEndpoint().Relative()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o.down.Load() {
			http.Error(w, "the test provider is down", http.StatusServiceUnavailable)
			return
		}
		o.mu.Lock()
		tamper, resign := o.tamper, o.resign
		o.mu.Unlock()
		if r.URL.Path != tokenPath || (tamper == nil && resign == nil) {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		if rec.Code == http.StatusOK {
			if b, err := o.rewrite(body, tamper, resign); err == nil {
				body = b
			}
		}
		for k, v := range rec.Header() {
			if k != "Content-Length" {
				w.Header()[k] = v
			}
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

func (o *OP) rewrite(body []byte, tamper func(map[string]any), resign *rsa.PrivateKey) ([]byte, error) {
	var resp map[string]any
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, err
	}
	raw, _ := resp["id_token"].(string)
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("no id_token")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	claims := map[string]any{}
	if err := dec.Decode(&claims); err != nil {
		return nil, err
	}
	if tamper != nil {
		tamper(claims)
	}
	key, kid := o.Key()
	if resign != nil {
		key = resign
	}
	tok, err := Sign(key, kid, claims)
	if err != nil {
		return nil, err
	}
	resp["id_token"] = tok
	return json.Marshal(resp)
}

// Sign makes a compact RS256 JWT of claims with key under key id kid.
func Sign(key *rsa.PrivateKey, kid string, claims map[string]any) (string, error) {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}
