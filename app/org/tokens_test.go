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
