package org_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// sessionsOf counts the stored sessions of a person.
func (f *fixture) sessionsOf(userID string) int {
	f.t.Helper()
	var n int
	if err := f.db.R.QueryRowContext(f.ctx, `SELECT count(*) FROM sessions WHERE user_id = ?`, userID).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

// signedIn stores n sessions of the person, as n browsers signed in would have.
func (f *fixture) signedIn(userID string, n int) {
	f.t.Helper()
	for i := range n {
		now := f.clock.Now().UnixMilli()
		s := store.Session{IDHash: userID + "-session-" + string(rune('a'+i)), UserID: userID, Data: "{}",
			CreatedAt: now, LastSeenAt: now, ExpiresAt: now + 86_400_000}
		if err := f.db.Tx(f.ctx, func(q store.Q) error { return store.CreateSession(f.ctx, q, s) }); err != nil {
			f.t.Fatal(err)
		}
	}
}

// A reset ends every session of the person in the transaction that sets the password: the
// service call alone is what a crash right after it leaves, and it must leave no session of
// an intruder the person reset their password to shut out.
func TestResetPasswordEndsEverySessionInItsOwnTransaction(t *testing.T) {
	f := newFixture(t)
	uid := f.owner.UserID
	f.signedIn(uid, 3)
	bob, err := f.svc.AddMember(f.ctx, f.admin, org.NewMember{Email: "bob@acme.test", Name: "Bob", Role: org.RoleMember})
	if err != nil {
		t.Fatal(err)
	}
	f.signedIn(bob.UserID, 1)
	if err := f.svc.RequestReset(f.ctx, "Alice@acme.test"); err != nil {
		t.Fatal(err)
	}
	var data string
	if err := f.db.R.QueryRowContext(f.ctx, `SELECT data FROM outbox WHERE template = 'password_reset'`).Scan(&data); err != nil {
		t.Fatal(err)
	}
	var d struct{ ResetURL string }
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		t.Fatal(err)
	}
	_, plain, ok := strings.Cut(d.ResetURL, "/reset/")
	if !ok {
		t.Fatalf("no reset link in %s", data)
	}
	if _, err := f.svc.ResetPassword(f.ctx, plain, "a new long password"); err != nil {
		t.Fatal(err)
	}
	if n := f.sessionsOf(uid); n != 0 {
		t.Fatalf("%d sessions of Alice outlived her password reset", n)
	}
	if n := f.sessionsOf(bob.UserID); n != 1 {
		t.Fatalf("Bob's session ended with Alice's reset: %d left", n)
	}
}

// A password change likewise ends every session of the person at once.
func TestChangePasswordEndsEverySessionInItsOwnTransaction(t *testing.T) {
	f := newFixture(t)
	uid := f.owner.UserID
	f.signedIn(uid, 2)
	if err := f.svc.ChangePassword(f.ctx, uid, "", "a new long password"); err != nil {
		t.Fatal(err)
	}
	if n := f.sessionsOf(uid); n != 0 {
		t.Fatalf("%d sessions of Alice outlived her password change", n)
	}
	// A wrong current password changes nothing and ends nothing.
	f.signedIn(uid, 1)
	err := f.svc.ChangePassword(f.ctx, uid, "not it", "another long password")
	if e, ok := org.AsError(err); !ok || e.Code != org.CodeInvalidPassword {
		t.Fatalf("wrong current password: %v", err)
	}
	if n := f.sessionsOf(uid); n != 1 {
		t.Fatalf("a refused change ended sessions: %d left", n)
	}
}
