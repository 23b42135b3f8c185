// Package session keeps signed-in browsers in the database: random ids of which only the
// SHA-256 is stored, an idle and an absolute timeout, and a little JSON data per session. It
// knows nothing of HTTP; app/web sets the cookie.
package session

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/lobby/lobby/app/store"
)

// ErrNoSession is returned for a missing, unknown, idle or expired session.
var ErrNoSession = errors.New("no session")

// Data is what a session remembers besides who is signed in.
type Data struct {
	// OrgID is the organization the person last chose on their dashboard.
	OrgID string `json:"org,omitempty"`
	// OIDC holds a pending sign-in with a provider: state, nonce and PKCE verifier.
	OIDC map[string]string `json:"oidc,omitempty"`
	// ViewAs is set while an admin looks at a member's dashboard read-only.
	ViewAs string `json:"view_as,omitempty"`
}

// Session is a loaded session.
type Session struct {
	ID     string // the cookie value; never stored or logged
	UserID string
	// CSRF is the session's form token (a synchronizer token, stored with the session): every
	// form of a signed-in page carries it.
	CSRF      string
	Data      Data
	CreatedAt time.Time
	ExpiresAt time.Time
	lastSeen  int64
	hash      string
}

// Manager creates, loads and ends sessions.
type Manager struct {
	db       *store.DB
	now      func() time.Time
	idle     time.Duration
	absolute time.Duration
}

// New returns a Manager. idle and absolute are the two timeouts.
func New(db *store.DB, now func() time.Time, idle, absolute time.Duration) *Manager {
	if now == nil {
		now = time.Now
	}
	return &Manager{db: db, now: now, idle: idle, absolute: absolute}
}

// Hash is the stored form of a session id.
func Hash(id string) string {
	h := sha256.Sum256([]byte(id))
	return hex.EncodeToString(h[:])
}

func newID() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// Start creates a new session for userID. Callers end the browser's previous session first
// (Rotate does both), so a session id planted before sign-in is never signed in.
func (m *Manager) Start(ctx context.Context, userID string, d Data) (Session, error) {
	now := m.now()
	s := Session{ID: newID(), UserID: userID, CSRF: newID(), Data: d, CreatedAt: now, ExpiresAt: now.Add(m.absolute)}
	s.hash = Hash(s.ID)
	b, _ := json.Marshal(d)
	err := m.db.Tx(ctx, func(q store.Q) error {
		return store.CreateSession(ctx, q, store.Session{IDHash: s.hash, UserID: userID, CSRF: s.CSRF, Data: string(b),
			CreatedAt: now.UnixMilli(), LastSeenAt: now.UnixMilli(), ExpiresAt: s.ExpiresAt.UnixMilli()})
	})
	return s, err
}

// Rotate ends the session with id old (if any) and starts a new one: on sign-in and on
// privilege changes.
func (m *Manager) Rotate(ctx context.Context, old, userID string, d Data) (Session, error) {
	if old != "" {
		if err := m.End(ctx, old); err != nil {
			return Session{}, err
		}
	}
	return m.Start(ctx, userID, d)
}

// Renew gives a session a new id and form token, keeping who it is for, its data and its
// timeouts: for a privilege change of the person already signed in (joining an organization),
// after which an id seen before must not carry the new privilege.
func (m *Manager) Renew(ctx context.Context, old Session) (Session, error) {
	now := m.now()
	s := old
	s.ID, s.CSRF = newID(), newID()
	s.hash = Hash(s.ID)
	b, _ := json.Marshal(s.Data)
	err := m.db.Tx(ctx, func(q store.Q) error {
		if err := store.DeleteSession(ctx, q, Hash(old.ID)); err != nil {
			return err
		}
		return store.CreateSession(ctx, q, store.Session{IDHash: s.hash, UserID: s.UserID, CSRF: s.CSRF, Data: string(b),
			CreatedAt: s.CreatedAt.UnixMilli(), LastSeenAt: now.UnixMilli(), ExpiresAt: s.ExpiresAt.UnixMilli()})
	})
	return s, err
}

// Load finds the session of a cookie value, enforcing both timeouts. It refreshes the idle
// clock at most once a minute, so most page views do not write.
func (m *Manager) Load(ctx context.Context, id string) (Session, error) {
	if id == "" || len(id) > 100 {
		return Session{}, ErrNoSession
	}
	h := Hash(id)
	row, err := store.GetSession(ctx, m.db.R, h)
	if errors.Is(err, store.ErrNotFound) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, err
	}
	now := m.now().UnixMilli()
	if row.ExpiresAt <= now || row.LastSeenAt+m.idle.Milliseconds() <= now {
		_ = m.End(ctx, id)
		return Session{}, ErrNoSession
	}
	s := Session{ID: id, UserID: row.UserID, CSRF: row.CSRF, CreatedAt: time.UnixMilli(row.CreatedAt), ExpiresAt: time.UnixMilli(row.ExpiresAt),
		lastSeen: row.LastSeenAt, hash: h}
	_ = json.Unmarshal([]byte(row.Data), &s.Data)
	if s.CSRF == "" {
		// Started before sessions kept a form token: it gets one now (its pages' forms then
		// carry it; a form already open is refused once, with "reload and try again").
		s.CSRF = newID()
		if err := m.db.Tx(ctx, func(q store.Q) error { return store.SetSessionCSRF(ctx, q, h, s.CSRF) }); err != nil {
			return Session{}, err
		}
	}
	if now-row.LastSeenAt > 60_000 {
		if err := m.Save(ctx, s); err != nil {
			return Session{}, err
		}
	}
	return s, nil
}

// Save stores the session's data and refreshes its idle clock.
func (m *Manager) Save(ctx context.Context, s Session) error {
	b, _ := json.Marshal(s.Data)
	return m.db.Tx(ctx, func(q store.Q) error {
		err := store.TouchSession(ctx, q, Hash(s.ID), string(b), m.now().UnixMilli())
		if errors.Is(err, store.ErrNotFound) {
			return ErrNoSession
		}
		return err
	})
}

// End ends one session.
func (m *Manager) End(ctx context.Context, id string) error {
	return m.db.Tx(ctx, func(q store.Q) error { return store.DeleteSession(ctx, q, Hash(id)) })
}

// Purge deletes sessions past either timeout; the purge job calls it.
func (m *Manager) Purge(ctx context.Context, now int64) (int64, error) {
	var n int64
	err := m.db.Tx(ctx, func(q store.Q) error {
		var err error
		n, err = store.PurgeSessions(ctx, q, now, m.idle.Milliseconds())
		return err
	})
	return n, err
}
