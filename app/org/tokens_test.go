package org_test

import (
	"errors"
	"testing"
	"time"

	"github.com/lobby/lobby/app/org"
)

// Authenticate reuses what it read about a token for a moment. A revocation in this process
// takes effect at once; one made by another process on the same database (a second Service
// here) within two seconds; a token made by another process works at once.
func TestTokenRevocationAcrossProcesses(t *testing.T) {
	f := newFixture(t)
	other := org.New(f.db, org.Options{BaseURL: "https://lobby.example", Now: f.clock.Now})
	tok, err := f.svc.CreateToken(f.ctx, f.admin, "scim", "idp")
	if err != nil {
		t.Fatal(err)
	}
	made, err := other.CreateToken(f.ctx, f.admin, "scim", "made elsewhere")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Authenticate(f.ctx, "scim", made.Plain); err != nil {
		t.Fatalf("a token another process made was refused: %v", err)
	}
	if a, err := f.svc.Authenticate(f.ctx, "scim", tok.Plain); err != nil || a.OrgID != f.org.ID || a.Name != "idp" {
		t.Fatalf("fresh token: %+v, %v", a, err)
	}
	if _, err := f.svc.Authenticate(f.ctx, "api", tok.Plain); !errors.Is(err, org.ErrBadToken) {
		t.Fatalf("a cached SCIM token was taken as an API token: %v", err)
	}
	if err := other.RevokeToken(f.ctx, f.admin, tok.Token.ID); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		_, err := f.svc.Authenticate(f.ctx, "scim", tok.Plain)
		if errors.Is(err, org.ErrBadToken) {
			break
		}
		if err != nil || time.Now().After(deadline) {
			t.Fatalf("a token revoked by another process still works after 3 s: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := f.svc.RevokeToken(f.ctx, f.admin, made.Token.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Authenticate(f.ctx, "scim", made.Plain); !errors.Is(err, org.ErrBadToken) {
		t.Fatalf("a token revoked in this process still works: %v", err)
	}
}

// TestTokensExpire: a token works until its expiry, cached or not, then answers that it has
// expired; a lifetime outside 1 hour to 3 years is refused.
func TestTokensExpire(t *testing.T) {
	f := newFixture(t)
	tok, err := f.svc.CreateTokenFor(f.ctx, f.admin, "api", "ci", 48*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if tok.Token.ExpiresAt == nil || *tok.Token.ExpiresAt != f.clock.Now().Add(48*time.Hour).UnixMilli() {
		t.Fatalf("expiry %v", tok.Token.ExpiresAt)
	}
	if _, err := f.svc.Authenticate(f.ctx, "api", tok.Plain); err != nil {
		t.Fatalf("a fresh token: %v", err)
	}
	f.clock.Add(48 * time.Hour) // within the cache's two seconds of wall time: the cached entry must not outlive it
	if _, err := f.svc.Authenticate(f.ctx, "api", tok.Plain); !errors.Is(err, org.ErrTokenExpired) {
		t.Fatalf("an expired token: %v", err)
	}
	for _, life := range []time.Duration{time.Minute, 4 * 365 * 24 * time.Hour} {
		if _, err := f.svc.CreateTokenFor(f.ctx, f.admin, "api", "bad", life); err == nil {
			t.Fatalf("a token for %s was made", life)
		}
	}
	for in, want := range map[string]time.Duration{"90d": 90 * 24 * time.Hour, "720h": 720 * time.Hour} {
		if d, err := org.ParseTokenLifetime(in); err != nil || d != want {
			t.Fatalf("%s: %s, %v", in, d, err)
		}
	}
	for _, in := range []string{"", "0d", "-5d", "1y", "4000d", "30m"} {
		if _, err := org.ParseTokenLifetime(in); err == nil {
			t.Fatalf("%q was taken as a lifetime", in)
		}
	}
}
