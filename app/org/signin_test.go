package org_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store/storetest"
	"github.com/lobby/lobby/auth/password"
)

// A failed sign-in must cost one password hash whether or not the address is known, or the
// answer time tells an attacker which addresses have accounts. Timing is too noisy to test on
// a shared machine, so this watches the hasher instead: it has one slot, a slow verification
// holds it, and SignIn may only answer once it could take the slot itself. A SignIn that does
// no hashing answers while the slot is still held.
func TestSignInHashesForUnknownAddresses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	c := storetest.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	h := password.New(1)
	svc := org.New(db, org.Options{BaseURL: "https://lobby.example", Now: c.Now, Hasher: h})
	o, err := svc.CreateOrg(ctx, org.SystemActor("cli", "test", ""), "acme", "Acme")
	if err != nil {
		t.Fatal(err)
	}
	admin := org.SystemActor("cli", "test", o.ID)
	hash, err := svc.HashPassword(ctx, "kim's long password")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []org.NewMember{{Email: "kim@acme.test", Name: "Kim", PasswordHash: hash}, {Email: "sso@acme.test", Name: "Only SSO"}} {
		if _, err := svc.AddMember(ctx, admin, m); err != nil {
			t.Fatal(err)
		}
	}
	b64 := base64.RawStdEncoding.EncodeToString
	// A verification with sixteen passes: long enough to hold the slot while SignIn runs.
	slow := fmt.Sprintf("$argon2id$v=19$m=19456,t=16,p=1$%s$%s", b64(make([]byte, 16)), b64(make([]byte, 32)))
	quick := fmt.Sprintf("$argon2id$v=19$m=8,t=1,p=1$%s$%s", b64(make([]byte, 16)), b64(make([]byte, 32)))
	// busy reports whether the hasher's only slot is taken: a quick verify cannot get it in time.
	busy := func() bool {
		ctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		defer cancel()
		_, err := h.Verify(ctx, quick, "probe")
		return errors.Is(err, context.DeadlineExceeded)
	}
	for _, tc := range []struct{ name, email, password string }{
		{"a known address with a wrong password", "kim@acme.test", "not kim's password"}, // the control
		{"an unknown address", "nobody@acme.test", "not kim's password"},
		{"an address that does not parse", "nobody@@acme.test", "not kim's password"},
		{"an account with no password", "sso@acme.test", "any password at all"},
	} {
		done := make(chan struct{})
		go func() {
			defer close(done)
			_, _ = h.Verify(ctx, slow, "holding the slot")
		}()
		for deadline := time.Now().Add(10 * time.Second); !busy(); time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the slow verification never took the hashing slot")
			}
		}
		_, err := svc.SignIn(ctx, tc.email, tc.password)
		stillBusy := busy()
		<-done
		if !errors.Is(err, org.ErrBadLogin) {
			t.Errorf("%s: SignIn = %v; want ErrBadLogin", tc.name, err)
		}
		if stillBusy {
			t.Errorf("%s: SignIn answered while the hashing slot was taken, so it hashed nothing", tc.name)
		}
	}
}
