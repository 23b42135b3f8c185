package oidc

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"golang.org/x/oauth2"

	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/token"
)

// FlowTTL is how long a sign-in may take from the button to the callback, and how long a
// verified login waits for its owner's password to be linked.
const FlowTTL = 10 * time.Minute

// The link_tokens kinds this package writes.
const (
	kindFlow    = "oidc"
	kindPending = "oidc_link"
)

// Errors of Finish and Pending. All of them mean "start again".
var (
	// ErrNoFlow: the state (or pending id) is unknown, malformed or for another provider.
	ErrNoFlow = errors.New("no such sign-in in progress")
	// ErrOtherBrowser: the state exists but this browser did not start it.
	ErrOtherBrowser = errors.New("this sign-in was started in another browser")
	// ErrFlowUsed: the sign-in was completed already or took longer than FlowTTL.
	ErrFlowUsed = errors.New("this sign-in was already completed or has expired")
)

// Flow is what Lobby remembers about a sign-in between the button and the callback.
type Flow struct {
	Provider string `json:"p"`
	Purpose  string `json:"k"`           // login | invite | link
	Next     string `json:"n,omitempty"` // local path to go to after signing in
	Invite   string `json:"i,omitempty"` // the invitation link token, for Purpose invite
	UserID   string `json:"u,omitempty"` // who asked, for Purpose link
	Nonce    string `json:"o"`
	Verifier string `json:"v"`
}

// Pending is a verified login whose address belongs to an existing account: it waits for the
// account's password before it is linked, never linked silently.
type Pending struct {
	Provider string   `json:"p"`
	Identity Identity `json:"id"`
	Next     string   `json:"n,omitempty"`
	Invite   string   `json:"i,omitempty"`
}

// Flows keeps sign-ins in progress in link_tokens, sealed with the browser's binding key.
type Flows struct {
	db  *store.DB
	now func() time.Time
}

// NewFlows returns a Flows over db.
func NewFlows(db *store.DB, now func() time.Time) *Flows {
	if now == nil {
		now = time.Now
	}
	return &Flows{db: db, now: now}
}

// NewBinding returns a fresh browser key, the value of the cookie that ties flows to a browser.
func NewBinding() string { return random() }

// ValidBinding reports whether b has the shape of a binding key.
func ValidBinding(b string) bool { return looksRandom(b) }

// Start discovers p if needed, then stores f (with a fresh state, nonce and PKCE verifier)
// for the browser holding binding and returns the provider URL to send the browser to.
func (fs *Flows) Start(ctx context.Context, p *Provider, binding string, f Flow) (string, error) {
	if !ValidBinding(binding) {
		return "", errors.New("oidc: invalid browser binding")
	}
	state := random()
	f.Provider, f.Nonce, f.Verifier = p.ID, random(), oauth2.GenerateVerifier()
	u, err := p.AuthURL(ctx, state, f.Nonce, f.Verifier)
	if err != nil {
		return "", err
	}
	if err := fs.save(ctx, kindFlow, state, binding, "", f); err != nil {
		return "", err
	}
	return u, nil
}

// Finish takes the flow of state for the browser holding binding and provider providerID:
// once, and within FlowTTL.
func (fs *Flows) Finish(ctx context.Context, providerID, state, binding string) (Flow, error) {
	var f Flow
	hash, err := fs.open(ctx, kindFlow, state, binding, &f)
	if err != nil {
		return f, err
	}
	if f.Provider != providerID {
		return f, ErrNoFlow
	}
	return f, fs.use(ctx, kindFlow, hash)
}

// SavePending stores a login waiting for its account's password and returns its id, which
// the password form carries.
func (fs *Flows) SavePending(ctx context.Context, binding string, p Pending) (string, error) {
	if !ValidBinding(binding) {
		return "", errors.New("oidc: invalid browser binding")
	}
	id := random()
	return id, fs.save(ctx, kindPending, id, binding, p.Identity.Email, p)
}

// Pending reads a waiting login without using it up: a mistyped password may be tried again.
func (fs *Flows) Pending(ctx context.Context, id, binding string) (Pending, error) {
	var p Pending
	hash, err := fs.open(ctx, kindPending, id, binding, &p)
	if err != nil {
		return p, err
	}
	t, err := store.GetLinkToken(ctx, fs.db.R, kindPending, hash)
	if err != nil || t.UsedAt != nil || t.ExpiresAt <= fs.now().UnixMilli() {
		return p, ErrFlowUsed
	}
	return p, nil
}

// UsePending marks a waiting login done, once.
func (fs *Flows) UsePending(ctx context.Context, id string) error {
	return fs.use(ctx, kindPending, token.Hash(id))
}

func (fs *Flows) save(ctx context.Context, kind, id, binding, email string, v any) error {
	hash := token.Hash(id)
	plain, err := json.Marshal(v)
	if err != nil {
		return err
	}
	sealed, err := seal(binding, kind+hash, plain)
	if err != nil {
		return err
	}
	now := fs.now().UnixMilli()
	return fs.db.Tx(ctx, func(q store.Q) error {
		return store.CreateLinkToken(ctx, q, store.LinkToken{TokenHash: hash, Kind: kind, EmailNorm: email, Data: sealed,
			ExpiresAt: now + FlowTTL.Milliseconds(), CreatedAt: now})
	})
}

// open finds and unseals a row; it neither checks expiry nor uses it.
func (fs *Flows) open(ctx context.Context, kind, id, binding string, v any) (string, error) {
	if !looksRandom(id) {
		return "", ErrNoFlow
	}
	hash := token.Hash(id)
	t, err := store.GetLinkToken(ctx, fs.db.R, kind, hash)
	if errors.Is(err, store.ErrNotFound) {
		return "", ErrNoFlow
	}
	if err != nil {
		return "", err
	}
	plain, err := unseal(binding, kind+hash, t.Data)
	if err != nil {
		return "", ErrOtherBrowser
	}
	if err := json.Unmarshal(plain, v); err != nil {
		return "", fmt.Errorf("oidc: stored flow is unreadable: %w", err)
	}
	return hash, nil
}

func (fs *Flows) use(ctx context.Context, kind, hash string) error {
	return fs.db.Tx(ctx, func(q store.Q) error {
		if err := store.UseLinkToken(ctx, q, kind, hash, fs.now().UnixMilli()); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return ErrFlowUsed
			}
			return err
		}
		return nil
	})
}

func aead(binding string) (cipher.AEAD, error) {
	if !ValidBinding(binding) {
		return nil, errors.New("invalid binding")
	}
	key := sha256.Sum256([]byte("lobby oidc flow\x00" + binding))
	block, err := aes.NewCipher(key[:])
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func seal(binding, ad string, plain []byte) (string, error) {
	g, err := aead(binding)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, g.NonceSize())
	_, _ = rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(g.Seal(nonce, nonce, plain, []byte(ad))), nil
}

func unseal(binding, ad, sealed string) ([]byte, error) {
	g, err := aead(binding)
	if err != nil {
		return nil, err
	}
	b, err := base64.RawURLEncoding.DecodeString(sealed)
	if err != nil || len(b) < g.NonceSize() {
		return nil, errors.New("malformed sealed data")
	}
	return g.Open(nil, b[:g.NonceSize()], b[g.NonceSize():], []byte(ad))
}

// random returns 32 random bytes as 43 characters of unpadded base64url.
func random() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func looksRandom(s string) bool {
	if len(s) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}
