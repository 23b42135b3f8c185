package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// hostile dresses a request as if an attacker had sent it, or a proxy passed on what they sent:
// every header some framework reads the host or scheme from names evil.example.
func hostile(req *http.Request) *http.Request {
	req.Host = "evil.example"
	for k, v := range map[string]string{"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http",
		"X-Forwarded-Server": "evil.example", "X-Original-Host": "evil.example", "X-Host": "evil.example",
		"Forwarded": "for=203.0.113.9;host=evil.example;proto=http"} {
		req.Header.Set(k, v)
	}
	return req
}

// Links are built from the configured base URL only. Whatever Host and forwarding headers a
// request carries, the links Lobby answers with (API accept and join URLs), the pages it shows,
// the redirects it sends and the links in the emails it queues all point at the base URL.
// Otherwise an attacker who asks for a reset of someone else's address gets a mail to them with
// a link to the attacker's host, and the token with it.
func TestHostileHostHeadersNeverChangeLinks(t *testing.T) {
	const base = "https://lobby.example"
	l := newLobby(t, base)
	var answers []answer
	call := func(method, path string, form url.Values, body string, prepare func(*http.Request)) answer {
		t.Helper()
		req := hostile(request(method, path, form, body))
		if prepare != nil {
			prepare(req)
		}
		a := l.do(req)
		answers = append(answers, a)
		return a
	}
	bearer := func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+l.api) }
	decode := func(a answer) map[string]any {
		t.Helper()
		var m map[string]any
		if err := json.Unmarshal([]byte(a.body), &m); err != nil {
			t.Fatalf("not JSON (%d): %s", a.status, a.body)
		}
		return m
	}

	// The API.
	a := call("POST", "/api/v1/invitations", nil, `{"emails":["ann@example.com"]}`, bearer)
	created, _ := decode(a)["created"].([]any)
	if a.status != 201 || len(created) != 1 {
		t.Fatalf("invite: %d %s", a.status, a.body)
	}
	inv := created[0].(map[string]any)
	if u, _ := inv["accept_url"].(string); !strings.HasPrefix(u, base+"/invite/lbi_") {
		t.Errorf("accept_url %q is not built from the base URL", u)
	}
	a = call("POST", "/api/v1/invitations/"+inv["id"].(string)+"/resend", nil, `{}`, bearer)
	if u, _ := decode(a)["accept_url"].(string); a.status != 200 || !strings.HasPrefix(u, base+"/invite/lbi_") {
		t.Errorf("resend: %d, accept_url %q is not built from the base URL", a.status, u)
	}
	a = call("PATCH", "/api/v1/settings", nil, `{"join_enabled":true,"join_slug":"acme-join","join_allowed_domains":["example.com"]}`, bearer)
	if u, _ := decode(a)["join_url"].(string); a.status != 200 || u != base+"/join/acme-join" {
		t.Errorf("settings: %d, join_url %q; want %s/join/acme-join", a.status, u, base)
	}

	// The pages, and the mail their forms queue.
	login := call("GET", "/login", nil, "", nil)
	csrf := login.cookie("__Host-lobby_csrf")
	if csrf == nil {
		t.Fatalf("GET /login set no CSRF cookie: %q", login.header.Values("Set-Cookie"))
	}
	withCSRF := func(r *http.Request) { r.AddCookie(&http.Cookie{Name: csrf.Name, Value: csrf.Value}) }
	if a := call("POST", "/reset", url.Values{"_csrf": {csrf.Value}, "email": {ownerEmail}}, "", withCSRF); a.status != 200 {
		t.Fatalf("reset request: %d", a.status)
	}
	if a := call("POST", "/join/acme-join", url.Values{"_csrf": {csrf.Value}, "email": {"jo@example.com"}}, "", withCSRF); a.status != 200 {
		t.Fatalf("join request: %d", a.status)
	}
	call("GET", "/join/acme-join", nil, "", nil)
	call("GET", "/reset", nil, "", nil)
	call("GET", "/", nil, "", nil) // a redirect to the sign-in page
	call("GET", "/console/acme", nil, "", nil)

	for i, a := range answers {
		for _, where := range append([]string{a.body, a.header.Get("Location"), a.header.Get("Content-Location"), a.header.Get("Link")},
			a.header.Values("Set-Cookie")...) {
			if strings.Contains(where, "evil.example") {
				t.Errorf("answer %d (%d) names the request's host: %.300s", i, a.status, where)
			}
		}
	}
	mail := l.outbox()
	for _, tmpl := range []string{"invite", "password_reset", "join_confirm"} {
		if len(mail[tmpl]) == 0 {
			t.Errorf("no %s mail was queued", tmpl)
		}
		for _, d := range mail[tmpl] {
			if strings.Contains(d, "evil.example") || !strings.Contains(d, base+"/") {
				t.Errorf("a queued %s mail does not link to the base URL only: %s", tmpl, d)
			}
		}
	}
}
