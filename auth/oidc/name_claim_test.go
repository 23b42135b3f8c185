package oidc

import (
	"strings"
	"testing"
)

// A provider configured with name_claim takes the person's name from that claim (say
// preferred_username), not from "name"; spaces are folded and a long name is cut at 200.
func TestNameComesFromTheConfiguredClaim(t *testing.T) {
	claims := map[string]any{"name": "Ann Example", "preferred_username": "  ann   e. ", "email": "ann@example.com", "email_verified": true}
	if id := identityFrom("https://idp", "s1", claims, "preferred_username"); id.Name != "ann e." {
		t.Fatalf("name from preferred_username: %q", id.Name)
	}
	if id := identityFrom("https://idp", "s1", claims, "name"); id.Name != "Ann Example" {
		t.Fatalf("name from name: %q", id.Name)
	}
	if id := identityFrom("https://idp", "s1", claims, "nickname"); id.Name != "" {
		t.Fatalf("a claim the provider did not send gave the name %q", id.Name)
	}
	long := map[string]any{"name": strings.Repeat("é", 250)}
	if id := identityFrom("https://idp", "s1", long, "name"); len([]rune(id.Name)) != 200 {
		t.Fatalf("a 250-letter name kept %d letters, want 200", len([]rune(id.Name)))
	}
}
