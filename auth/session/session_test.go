package session_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/app/store/storetest"
	"github.com/lobby/lobby/auth/session"
)

const (
	idle     = 30 * time.Minute
	absolute = 2 * time.Hour
)

// newManager returns a Manager over a fresh database on a fixed clock, and a person to sign in.
func newManager(t *testing.T) (*session.Manager, *storetest.Clock, *store.DB, string) {
	t.Helper()
	t.Parallel()
	db := storetest.Open(t)
	c := storetest.NewClock(time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC))
	u := store.User{ID: store.NewID(), Email: "sam@x.test", EmailNorm: "sam@x.test", Name: "Sam", CreatedAt: c.Now().UnixMilli()}
	if err := db.Tx(context.Background(), func(q store.Q) error { return store.CreateUser(context.Background(), q, u) }); err != nil {
		t.Fatal(err)
	}
	return session.New(db, c.Now, idle, absolute), c, db, u.ID
}

func start(t *testing.T, m *session.Manager, userID string) session.Session {
	t.Helper()
	s, err := m.Start(context.Background(), userID, session.Data{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustLoad(t *testing.T, m *session.Manager, id, when string) {
	t.Helper()
	if _, err := m.Load(context.Background(), id); err != nil {
		t.Fatalf("%s: Load = %v; want the session", when, err)
	}
}

func mustRefuse(t *testing.T, m *session.Manager, id, when string) {
	t.Helper()
	if s, err := m.Load(context.Background(), id); !errors.Is(err, session.ErrNoSession) {
		t.Fatalf("%s: Load gave a session of user %q (err %v); want ErrNoSession", when, s.UserID, err)
	}
}

// A session left alone for the idle timeout is refused, and stays refused; one in use is not.
func TestSessionIdleTimeout(t *testing.T) {
	m, c, db, uid := newManager(t)
	s := start(t, m, uid)
	mustLoad(t, m, s.ID, "just started")
	c.Add(idle - time.Second)
	mustLoad(t, m, s.ID, "a second before the idle timeout") // and this use restarts the idle clock
	c.Add(idle - time.Second)
	mustLoad(t, m, s.ID, "idle again for less than the timeout")
	c.Add(idle)
	mustRefuse(t, m, s.ID, "left alone for the idle timeout")
	mustRefuse(t, m, s.ID, "asked again after the refusal")
	var n int
	if err := db.R.QueryRow(`SELECT count(*) FROM sessions WHERE id_hash = ?`, session.Hash(s.ID)).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the idle session is still stored (%d rows, %v)", n, err)
	}
	mustLoad(t, m, start(t, m, uid).ID, "a fresh session after the idle one")
}

// A session in constant use still ends at the absolute timeout.
func TestSessionAbsoluteTimeout(t *testing.T) {
	m, c, _, uid := newManager(t)
	s := start(t, m, uid)
	used := time.Duration(0)
	for used+idle/2 < absolute {
		c.Add(idle / 2)
		used += idle / 2
		mustLoad(t, m, s.ID, "in use after "+used.String())
	}
	c.Add(absolute - used)
	mustRefuse(t, m, s.ID, "in use but at the absolute timeout")
	mustLoad(t, m, start(t, m, uid).ID, "a fresh session after the expired one")
}

// Only the hash of a session id is stored, so a copy of the database signs nobody in.
func TestSessionIDIsStoredHashed(t *testing.T) {
	m, _, db, uid := newManager(t)
	s := start(t, m, uid)
	var n int
	if err := db.R.QueryRow(`SELECT count(*) FROM sessions WHERE id_hash = ? OR data LIKE ? OR csrf = ?`, s.ID, "%"+s.ID+"%", s.ID).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the plain session id is stored (%d rows, %v)", n, err)
	}
	mustRefuse(t, m, session.Hash(s.ID), "the stored hash used as a cookie")
}

// A session keeps a form token of its own; one started before sessions had them gets one when
// it is next loaded, and keeps it.
func TestSessionFormToken(t *testing.T) {
	m, _, db, uid := newManager(t)
	s := start(t, m, uid)
	if len(s.CSRF) != 43 || s.CSRF == s.ID {
		t.Fatalf("form token %q", s.CSRF)
	}
	old := start(t, m, uid)
	if _, err := db.W.Exec(`UPDATE sessions SET csrf = '' WHERE id_hash = ?`, session.Hash(old.ID)); err != nil {
		t.Fatal(err)
	}
	first, err := m.Load(context.Background(), old.ID)
	if err != nil || len(first.CSRF) != 43 {
		t.Fatalf("an old session's token: %q, %v", first.CSRF, err)
	}
	again, err := m.Load(context.Background(), old.ID)
	if err != nil || again.CSRF != first.CSRF {
		t.Fatalf("the token changed between loads: %q then %q (%v)", first.CSRF, again.CSRF, err)
	}
}
