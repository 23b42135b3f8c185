package oidc

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/lobby/lobby/app/address"
	"github.com/lobby/lobby/app/config"
)

// Leeway is how far the provider's clock may run ahead of Lobby's before a fresh ID token
// counts as expired.
const Leeway = 2 * time.Minute

// Provider is one configured OpenID provider. Its endpoints are discovered on first use.
type Provider struct {
	ID     string // from the config, used in URLs
	Name   string // shown on buttons and pages
	Issuer string
	// RedirectURL is {base_url}/auth/oidc/{id}/callback, exactly.
	RedirectURL    string
	AllowedDomains []string // normalised; empty allows every domain
	NameClaim      string

	clientID, secret string
	scopes           []string
	client           *http.Client
	now              func() time.Time

	mu       sync.Mutex
	disc     *gooidc.Provider
	verifier *gooidc.IDTokenVerifier
	oauth    *oauth2.Config

	// state is what the last attempt to reach the provider found (see Unavailable).
	state struct {
		sync.Mutex
		ready    bool      // discovery succeeded
		failedAt time.Time // the last discovery failed then, and none succeeded since
		probing  bool      // a background discovery is under way
	}
}

// RetryAfter is how long a provider that could not be reached counts as unavailable before
// its button is offered again (and the next page view or click tries it again).
const RetryAfter = 30 * time.Second

// Registry holds the configured providers in their configured order.
type Registry struct {
	list []*Provider
	byID map[string]*Provider
}

// Options configure a Registry.
type Options struct {
	// Now is the clock used to check token expiry. Defaults to time.Now.
	Now func() time.Time
	// HTTPClient talks to the providers; defaults to a client with a 10 second timeout.
	HTTPClient *http.Client
}

// NewRegistry builds the providers of cfgs. It contacts none of them.
func NewRegistry(cfgs []config.OIDCProvider, baseURL string, o Options) *Registry {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	r := &Registry{byID: map[string]*Provider{}}
	base := strings.TrimRight(baseURL, "/")
	for _, c := range cfgs {
		p := &Provider{ID: c.ID, Name: c.Name, Issuer: c.Issuer, RedirectURL: base + "/auth/oidc/" + c.ID + "/callback",
			NameClaim: c.NameClaim, clientID: c.ClientID, secret: c.ClientSecret, scopes: c.Scopes,
			client: o.HTTPClient, now: o.Now}
		if p.Name == "" {
			p.Name = p.ID
		}
		if p.NameClaim == "" {
			p.NameClaim = "name"
		}
		if len(p.scopes) == 0 {
			p.scopes = config.DefaultScopes
		}
		for _, d := range c.AllowedDomains {
			if n, err := address.NormaliseDomain(d); err == nil {
				p.AllowedDomains = append(p.AllowedDomains, n)
			} else {
				// An unusable entry must not widen the list to "every domain".
				p.AllowedDomains = append(p.AllowedDomains, "invalid.invalid")
			}
		}
		r.list = append(r.list, p)
		r.byID[p.ID] = p
	}
	return r
}

// List returns the providers in their configured order.
func (r *Registry) List() []*Provider {
	if r == nil {
		return nil
	}
	return r.list
}

// Get finds a provider by id.
func (r *Registry) Get(id string) (*Provider, bool) {
	if r == nil {
		return nil, false
	}
	p, ok := r.byID[id]
	return p, ok
}

// ByIssuer finds the provider whose issuer is iss (to name a linked login).
func (r *Registry) ByIssuer(iss string) (*Provider, bool) {
	for _, p := range r.List() {
		if p.Issuer == iss {
			return p, true
		}
	}
	return nil, false
}

// discover returns the provider's endpoints, fetching them the first time. A failure is only
// remembered for the buttons (see Unavailable): the next sign-in tries again.
func (p *Provider) discover(ctx context.Context) (*oauth2.Config, *gooidc.IDTokenVerifier, *gooidc.Provider, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.disc != nil {
		return p.oauth, p.verifier, p.disc, nil
	}
	d, err := gooidc.NewProvider(gooidc.ClientContext(ctx, p.client), p.Issuer)
	p.state.Lock()
	if err != nil {
		p.state.failedAt = time.Now()
	} else {
		p.state.ready, p.state.failedAt = true, time.Time{}
	}
	p.state.Unlock()
	if err != nil {
		return nil, nil, nil, &Error{Kind: KindUnavailable, Code: "discovery_failed", Provider: p.ID, Err: err}
	}
	p.disc = d
	p.oauth = &oauth2.Config{ClientID: p.clientID, ClientSecret: p.secret, Endpoint: d.Endpoint(),
		RedirectURL: p.RedirectURL, Scopes: p.scopes}
	p.verifier = d.Verifier(&gooidc.Config{ClientID: p.clientID, Now: func() time.Time { return p.now().Add(-Leeway) }})
	return p.oauth, p.verifier, p.disc, nil
}

// Unavailable reports whether the provider could not be reached less than RetryAfter ago and
// has not been since: its buttons then say so instead of leading to an error page. A provider
// never tried yet is tried in the background (Lobby contacts providers lazily, so one that is
// down at start is found out by the first page Lobby renders), and so is one whose failure is
// older than RetryAfter.
// It never waits for the provider: a page that shows buttons must not hang on a slow one.
func (p *Provider) Unavailable() bool {
	p.state.Lock()
	defer p.state.Unlock()
	if p.state.ready {
		return false
	}
	if !p.state.failedAt.IsZero() && (p.state.probing || time.Since(p.state.failedAt) < RetryAfter) {
		return true // down a moment ago, or being tried again
	}
	if !p.state.probing {
		p.state.probing = true
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_, _, _, _ = p.discover(ctx)
			p.state.Lock()
			p.state.probing = false
			p.state.Unlock()
		}()
	}
	return false
}

// AuthURL is where the browser goes to sign in: discovery happens here, so an unreachable
// provider answers an *Error of KindUnavailable before any state is stored.
func (p *Provider) AuthURL(ctx context.Context, state, nonce, verifier string) (string, error) {
	conf, _, _, err := p.discover(ctx)
	if err != nil {
		return "", err
	}
	return conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), gooidc.Nonce(nonce)), nil
}

// Names maps each provider's id to its display name.
func Names(r *Registry) map[string]string {
	out := map[string]string{}
	for _, p := range r.List() {
		out[p.ID] = p.Name
	}
	return out
}
