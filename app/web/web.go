package web

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/oidc"
	"github.com/lobby/lobby/auth/session"
	"github.com/lobby/lobby/auth/throttle"
)

// Deps is what the pages need from the rest of Lobby.
type Deps struct {
	Org      *org.Service
	Sessions *session.Manager
	Throttle *throttle.Limiter
	Render   *Renderer
	Log      *slog.Logger
	BaseURL  string
	// Secure sets Secure cookies with the __Host- prefix (when the base URL is https).
	Secure bool
	// LoginMaxFailures and LoginWindow throttle failed sign-ins per address.
	LoginMaxFailures int
	LoginWindow      time.Duration
	// ClientIP finds the address of the browser, honouring trusted proxies.
	ClientIP func(c *fiber.Ctx) string
	// Jobs and MailPreview feed the console's Jobs and Mail screens; either may be nil.
	Jobs        Jobs
	MailPreview MailPreview
	// OIDC lists the OpenID providers (nil or empty: no SSO buttons); Flows keeps their
	// sign-ins in progress.
	OIDC  *oidc.Registry
	Flows *oidc.Flows
	// ImportMaxRows and ImportMaxBytes bound CSV uploads (0 takes the defaults).
	ImportMaxRows  int
	ImportMaxBytes int64
}

type handler struct{ Deps }

// page is what every template gets.
type page struct {
	User       *store.User
	CSRF       string
	Notice     string
	OrgName    string
	Logo       string
	Accent     string
	ConsoleURL string
	// MinPassword is the fewest characters a new password may have, for forms to say so.
	MinPassword int
	// SSO are the OpenID providers' buttons (oidc_start.go).
	SSO  []ssoButton
	Data any
}

const (
	localUser    = "user"
	localSession = "session"
)

// user is the signed-in person, or nil.
func user(c *fiber.Ctx) *store.User {
	u, _ := c.Locals(localUser).(*store.User)
	return u
}

func sess(c *fiber.Ctx) *session.Session {
	s, _ := c.Locals(localSession).(*session.Session)
	return s
}

// loadSession finds the session cookie's person for every page.
func (h handler) loadSession(c *fiber.Ctx) error {
	id := c.Cookies(h.sessionCookie())
	if id == "" {
		return c.Next()
	}
	s, err := h.Sessions.Load(c.UserContext(), id)
	if errors.Is(err, session.ErrNoSession) {
		h.clearCookie(c, h.sessionCookie())
		return c.Next()
	}
	if err != nil {
		return err
	}
	u, err := h.Org.User(c.UserContext(), s.UserID)
	if err != nil || u.DisabledAt != nil {
		_ = h.Sessions.End(c.UserContext(), id)
		h.clearCookie(c, h.sessionCookie())
		return c.Next()
	}
	c.Locals(localUser, &u)
	c.Locals(localSession, &s)
	return c.Next()
}

// requireUser sends people who are not signed in to the sign-in page and back.
func (h handler) requireUser(c *fiber.Ctx) error {
	if user(c) == nil {
		return c.Redirect("/login?next="+urlQueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
	}
	return c.Next()
}

// signIn starts a fresh session for u (a new id, so one planted before sign-in is useless),
// sets the cookie and switches the CSRF token to the new session's.
func (h handler) signIn(c *fiber.Ctx, u store.User) error {
	old := c.Cookies(h.sessionCookie())
	s, err := h.Sessions.Rotate(c.UserContext(), old, u.ID, session.Data{})
	if err != nil {
		return err
	}
	h.useSession(c, s)
	c.Locals(localUser, &u)
	return nil
}

// useSession makes s the browser's session for this request and the next: its cookie, and its
// form token in the CSRF cookie and the page.
func (h handler) useSession(c *fiber.Ctx, s session.Session) {
	h.setCookie(c, h.sessionCookie(), s.ID, s.ExpiresAt)
	h.setCookie(c, h.csrfCookie(), s.CSRF, time.Time{})
	c.Locals("csrf", s.CSRF)
	c.Locals(localSession, &s)
}

// joinedAs finishes joining an organization as u: a new session id and form token, so that
// one seen before does not carry the new membership. Someone already signed in as u keeps
// their session's data and timeouts; anyone else is signed in as u afresh.
func (h handler) joinedAs(c *fiber.Ctx, u store.User) error {
	cur := sess(c)
	if me := user(c); me == nil || me.ID != u.ID || cur == nil {
		return h.signIn(c, u)
	}
	s, err := h.Sessions.Renew(c.UserContext(), *cur)
	if err != nil {
		return err
	}
	h.useSession(c, s)
	return nil
}

// signOut ends the session and clears the cookie.
func (h handler) signOut(c *fiber.Ctx) error {
	if id := c.Cookies(h.sessionCookie()); id != "" {
		if err := h.Sessions.End(c.UserContext(), id); err != nil {
			return err
		}
	}
	h.clearCookie(c, h.sessionCookie())
	h.newCSRF(c)
	c.Locals(localUser, nil)
	c.Locals(localSession, nil)
	return nil
}

// page fills the common page data.
func (h handler) page(c *fiber.Ctx, data any) page {
	p := page{User: user(c), CSRF: h.csrfToken(c), SSO: h.ssoButtons(), MinPassword: h.Org.PasswordMinLength(), Data: data}
	return p
}

// branded sets an organization's name, logo and accent color on a page.
func branded(p page, o store.Org) page {
	p.OrgName, p.Logo, p.Accent = o.Name, o.LogoURL, o.AccentColor
	return p
}

// tokenPage marks an answer as reached by a secret link: never cached, never a referrer.
func tokenPage(c *fiber.Ctx) {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Referrer-Policy", "no-referrer")
}

// message renders the plain message page.
func (h handler) message(c *fiber.Ctx, status int, title, msg string, extra map[string]string) error {
	return h.messageFor(c, store.Org{}, status, title, msg, extra)
}

// messageFor renders the plain message page in an organization's colours and name, so that
// a person who came through its link does not see the header change to another name.
func (h handler) messageFor(c *fiber.Ctx, o store.Org, status int, title, msg string, extra map[string]string) error {
	d := map[string]string{"Title": title, "Message": msg}
	for k, v := range extra {
		d[k] = v
	}
	p := h.page(c, d)
	if o.ID != "" {
		p = branded(p, o)
	}
	return h.Render.Render(c, status, "message", p)
}

// requestSent is the page after someone asked to join an organization that approves each
// request, whichever way they asked.
func (h handler) requestSent(c *fiber.Ctx, o store.Org) error {
	return h.messageFor(c, o, fiber.StatusOK, "Your request to join "+o.Name+" was sent",
		"An admin of "+o.Name+" will look at it; we'll email you when they decide.", map[string]string{"Link": "/", "LinkText": "Go to your page"})
}

// orgErrorText is the message of an org error, or a generic one (logged) for anything else.
func (h handler) orgErrorText(c *fiber.Ctx, err error) (string, bool) {
	if e, ok := org.AsError(err); ok {
		// API messages name the setting key first ("seat_limit: …"); people get the name of
		// the field on their screen instead, where it has one.
		msg := strings.TrimPrefix(e.Message, e.Field+": ")
		if label, ok := fieldLabels[e.Field]; ok && e.Code == org.CodeInvalidSetting {
			return label + ": " + msg + ".", true
		}
		return upperFirst(msg) + ".", true
	}
	h.Log.Error("A page request failed.", "method", c.Method(), "route", c.Route().Path, "err", err)
	return "", false
}

// fieldLabels are the console's names of the settings an invalid_setting error can be about,
// as the Settings screen labels them.
var fieldLabels = map[string]string{
	"name": "Name", "seat_limit": "Seat limit", "invite_ttl": "Invitations expire after", "remind_before": "Reminder email",
	"default_role": "Default role", "accent_color": "Accent color", "logo_url": "Logo address", "terms_url": "Link to your terms",
	"join_slug": "Link ending", "join_allowed_domains": "Email domains that may join",
	"join_allowed_emails": "Single addresses that may join", "join_role": "Role they get", "join_limit": "Join limit",
	"join_welcome": "Welcome text",
}

func upperFirst(s string) string {
	first, _, _ := strings.Cut(s, " ")
	if s == "" || strings.Contains(first, "@") { // an address is shown as it is stored
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// ctx is a short alias used by handlers.
func ctx(c *fiber.Ctx) context.Context { return c.UserContext() }
