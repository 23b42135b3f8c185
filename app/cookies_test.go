package app_test

import (
	"net/http"
	"net/url"
	"testing"
)

// The session and CSRF cookies are HttpOnly and SameSite=Lax always; behind an https base URL
// they are also Secure and carry the __Host- prefix (which pins them to this host and path),
// and no unprefixed twin is set. The sign-in that sets them is a real one through app.New.
func TestCookieFlagsFollowTheBaseURL(t *testing.T) {
	for _, tc := range []struct {
		base   string
		secure bool
		prefix string
	}{
		{"https://lobby.example", true, "__Host-"},
		{"http://lobby.test", false, ""},
	} {
		t.Run(tc.base, func(t *testing.T) {
			l := newLobby(t, tc.base)
			form := l.do(request("GET", "/login", nil, ""))
			csrf := form.cookie(tc.prefix + "lobby_csrf")
			if form.status != 200 || csrf == nil {
				t.Fatalf("GET /login: %d, Set-Cookie %q", form.status, form.header.Values("Set-Cookie"))
			}
			req := request("POST", "/login", url.Values{"_csrf": {csrf.Value}, "email": {ownerEmail}, "password": {ownerPassword}}, "")
			req.AddCookie(&http.Cookie{Name: csrf.Name, Value: csrf.Value})
			in := l.do(req)
			sess := in.cookie(tc.prefix + "lobby_session")
			if in.status != 303 || sess == nil || sess.Value == "" {
				t.Fatalf("POST /login: %d, Set-Cookie %q", in.status, in.header.Values("Set-Cookie"))
			}
			for _, c := range []*http.Cookie{csrf, sess, in.cookie(tc.prefix + "lobby_csrf")} {
				if c == nil {
					t.Fatal("sign-in did not issue a fresh CSRF cookie")
				}
				if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != tc.secure || c.Path != "/" || c.Domain != "" {
					t.Errorf("cookie %s: HttpOnly=%v SameSite=%v Secure=%v Path=%q Domain=%q; want HttpOnly, Lax, Secure=%v, Path /, no Domain",
						c.Name, c.HttpOnly, c.SameSite, c.Secure, c.Path, c.Domain, tc.secure)
				}
			}
			if tc.prefix != "" {
				for _, a := range []answer{form, in} {
					for _, name := range []string{"lobby_session", "lobby_csrf"} {
						if a.cookie(name) != nil {
							t.Errorf("an unprefixed %s cookie was set behind https", name)
						}
					}
				}
			}
			// The cookie set is the one read back: the session signs Olga in.
			req = request("GET", "/profile", nil, "")
			req.AddCookie(&http.Cookie{Name: sess.Name, Value: sess.Value})
			if p := l.do(req); p.status != 200 {
				t.Fatalf("GET /profile with the session cookie: %d", p.status)
			}
		})
	}
}
