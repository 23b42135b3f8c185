package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// sessionCookie is the session cookie's name: with the __Host- prefix behind https, which
// pins it to this host and path and requires Secure.
func (h handler) sessionCookie() string {
	if h.Secure {
		return "__Host-lobby_session"
	}
	return "lobby_session"
}

func (h handler) csrfCookie() string {
	if h.Secure {
		return "__Host-lobby_csrf"
	}
	return "lobby_csrf"
}

func (h handler) setCookie(c *fiber.Ctx, name, value string, expires time.Time) {
	c.Cookie(&fiber.Cookie{Name: name, Value: value, Path: "/", Expires: expires, HTTPOnly: true, Secure: h.Secure, SameSite: "Lax"})
}

func (h handler) clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{Name: name, Value: "", Path: "/", Expires: time.Unix(1, 0), MaxAge: -1, HTTPOnly: true, Secure: h.Secure, SameSite: "Lax"})
}

// csrfToken returns the browser's CSRF token, setting the cookie when it differs. Forms carry
// it in the hidden field _csrf; a POST must send both and they must match. Signed in, the token
// is the session's own, stored with it (a synchronizer token); before sign-in, a random one
// in the cookie (double submit).
func (h handler) csrfToken(c *fiber.Ctx) string {
	if t, ok := c.Locals("csrf").(string); ok {
		return t
	}
	if s := sess(c); s != nil && s.CSRF != "" {
		if c.Cookies(h.csrfCookie()) != s.CSRF {
			h.setCookie(c, h.csrfCookie(), s.CSRF, time.Time{})
		}
		c.Locals("csrf", s.CSRF)
		return s.CSRF
	}
	if t := c.Cookies(h.csrfCookie()); len(t) == 43 {
		c.Locals("csrf", t)
		return t
	}
	return h.newCSRF(c)
}

// newCSRF issues a fresh CSRF token: at sign-in and sign-out, so a token seen before is useless after.
func (h handler) newCSRF(c *fiber.Ctx) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	t := base64.RawURLEncoding.EncodeToString(b)
	h.setCookie(c, h.csrfCookie(), t, time.Time{})
	c.Locals("csrf", t)
	return t
}

// checkCSRF guards every state-changing request: a same-site fetch, an Origin (when sent) of
// our own base URL, and a form token equal to the cookie and, signed in, to the session's.
func (h handler) checkCSRF(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	if site := c.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return h.csrfFailed(c)
	}
	// Token pages send Referrer-Policy: no-referrer, which makes browsers send "Origin: null"
	// on their own forms; Sec-Fetch-Site, which no page can forge, still says same-origin then.
	if origin := c.Get(fiber.HeaderOrigin); origin != "" && !sameOrigin(origin, h.BaseURL) &&
		!(origin == "null" && c.Get("Sec-Fetch-Site") == "same-origin") {
		return h.csrfFailed(c)
	}
	cookie := c.Cookies(h.csrfCookie())
	form := c.FormValue("_csrf")
	if cookie == "" || form == "" || subtle.ConstantTimeCompare([]byte(cookie), []byte(form)) != 1 {
		return h.csrfFailed(c)
	}
	// A cookie planted from elsewhere (a sibling host over http can set one) matches a form
	// written with it, but not the token the server keeps with the session.
	if s := sess(c); s != nil && s.CSRF != "" && subtle.ConstantTimeCompare([]byte(form), []byte(s.CSRF)) != 1 {
		return h.csrfFailed(c)
	}
	return c.Next()
}

func (h handler) csrfFailed(c *fiber.Ctx) error {
	return h.message(c, fiber.StatusForbidden, "This form has expired",
		"For your safety we could not accept it. Go back, reload the page and try again.", map[string]string{"Link": "/", "LinkText": "Go home"})
}

func sameOrigin(origin, base string) bool {
	o, err1 := url.Parse(origin)
	b, err2 := url.Parse(base)
	return err1 == nil && err2 == nil && strings.EqualFold(o.Scheme, b.Scheme) && strings.EqualFold(o.Host, b.Host)
}

// safeNext keeps only local paths for redirects after sign-in: "/x", never "//x", "/\x", a
// scheme, or any of those hidden behind percent-encoding or control characters.
func safeNext(next string) string {
	if next == "" {
		return "/"
	}
	check := next
	for range 3 {
		if d, err := url.PathUnescape(check); err == nil {
			check = d
		}
	}
	for _, s := range []string{next, check} {
		if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, `/\`) || strings.ContainsAny(s, "\\\r\n\t\x00") {
			return "/"
		}
		if u, err := url.Parse(s); err != nil || u.Scheme != "" || u.Host != "" {
			return "/"
		}
	}
	return next
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
