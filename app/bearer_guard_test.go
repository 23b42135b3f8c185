package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/config"
	"github.com/lobby/lobby/app/org"
)

// A client address that keeps sending wrong or missing API and SCIM tokens is refused with 429
// after 60 failures in all, on both, with a right token too, in each one's error shape; other
// addresses and the pages for people go on as before.
func TestServeThrottlesTokenGuessing(t *testing.T) {
	a, cfg := serveLobby(t, func(c *config.Config) { c.Server.TrustedProxies = []string{"127.0.0.1/32"} })
	o, apiTok := acmeWithToken(t, a, "api")
	scimTok, err := a.Org.CreateToken(context.Background(), org.SystemActor("cli", "t", o.ID), "scim", "entra")
	if err != nil {
		t.Fatal(err)
	}
	get := func(ip, path, auth string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", cfg.Server.BaseURL+path, nil)
		req.Header.Set("X-Forwarded-For", ip)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(raw)
	}
	const attacker, neighbour = "203.0.113.5", "203.0.113.6"
	guesses := []struct{ path, auth string }{
		{"/api/v1/invitations", "Bearer lbt_" + strings.Repeat("x", 40)},
		{"/API/v1/Members", "Bearer lbt_" + strings.Repeat("z", 40)}, // Fiber routes any case
		{"/api/v1/members", ""},
		{"/scim/v2/Users", "Bearer lbs_" + strings.Repeat("y", 40)},
		{`/scim/v2/Users?filter=userName+eq+"ann@acme.test"`, "Bearer guess"},
		{"/scim/v2/Groups", ""},
	}
	for i := range 61 {
		g := guesses[i%len(guesses)]
		if resp, body := get(attacker, g.path, g.auth); resp.StatusCode != 401 {
			t.Fatalf("guess %d (%s) answered %d, not 401:\n%s", i+1, g.path, resp.StatusCode, body)
		}
	}

	resp, body := get(attacker, "/api/v1/invitations", "Bearer "+apiTok)
	var apiErr struct {
		Error struct{ Code, Message string }
	}
	_ = json.Unmarshal([]byte(body), &apiErr)
	wait, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
	if resp.StatusCode != 429 || apiErr.Error.Code != "rate_limited" || !strings.Contains(apiErr.Error.Message, "Try again after") ||
		wait < 14*60 || wait > 15*60+1 {
		t.Fatalf("the API with a right token from the guessing address: %d, Retry-After %q:\n%s",
			resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	resp, body = get(attacker, "/scim/v2/Users?count=1", "Bearer "+scimTok.Plain)
	if resp.StatusCode != 429 || resp.Header.Get("Content-Type") != "application/scim+json" ||
		!strings.Contains(body, `"urn:ietf:params:scim:api:messages:2.0:Error"`) || !strings.Contains(body, `"status":"429"`) ||
		resp.Header.Get("Retry-After") == "" {
		t.Fatalf("SCIM with a right token from the guessing address: %d %s:\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}

	if resp, body := get(neighbour, "/api/v1/invitations", "Bearer "+apiTok); resp.StatusCode != 200 {
		t.Fatalf("another address with the API token: %d\n%s", resp.StatusCode, body)
	}
	if resp, body := get(neighbour, "/scim/v2/Users?count=1", "Bearer "+scimTok.Plain); resp.StatusCode != 200 {
		t.Fatalf("another address with the SCIM token: %d\n%s", resp.StatusCode, body)
	}
	if resp, _ := get(attacker, "/login", ""); resp.StatusCode != 200 {
		t.Fatalf("the sign-in page for the guessing address: %d; only the API and SCIM are closed to it", resp.StatusCode)
	}
}
