package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// A console action answers with a redirect whose address carries what happened (?notice=…),
// so that the page after it can say so. Anyone can write such an address, so the notice is
// signed with the session's own secret form token: a link made by someone else (who does not
// know it) shows no text inside the console. A notice marked as a problem (&alert=1) shows
// as an error, under the tabs.

// back redirects to a console path with a notice for the person.
func back(c *fiber.Ctx, path, notice string) error { return redirectNotice(c, path, notice, false) }

// backError redirects to a console path with a problem for the person: what was wrong and
// what to do, shown as an error.
func backError(c *fiber.Ctx, path, problem string) error {
	return redirectNotice(c, path, problem, true)
}

func redirectNotice(c *fiber.Ctx, path, text string, alert bool) error {
	path, fragment, _ := strings.Cut(path, "#")
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	if fragment != "" {
		fragment = "#" + fragment
	}
	q := "notice=" + url.QueryEscape(text)
	if alert {
		q += "&alert=1"
	}
	q += "&sig=" + noticeSig(c, text, alert)
	return c.Redirect("/console/"+consoleOrg(c).Slug+path+sep+q+fragment, fiber.StatusSeeOther)
}

// noticeSig signs a notice with the session's form token; empty without a session.
func noticeSig(c *fiber.Ctx, text string, alert bool) string {
	s := sess(c)
	if s == nil || s.CSRF == "" {
		return ""
	}
	m := hmac.New(sha256.New, []byte(s.CSRF))
	if alert {
		m.Write([]byte("alert\x00"))
	} else {
		m.Write([]byte("notice\x00"))
	}
	m.Write([]byte(text))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// signedNotice is the notice of the request's address, and whether it is a problem, when
// this session signed it; empty otherwise.
func signedNotice(c *fiber.Ctx) (text string, alert bool) {
	text, alert = c.Query("notice"), c.Query("alert") == "1"
	want := noticeSig(c, text, alert)
	if text == "" || want == "" || !hmac.Equal([]byte(want), []byte(c.Query("sig"))) {
		return "", false
	}
	return text, alert
}
