package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/auth/oidc"
)

// ssoButton is one OpenID provider's button; Down says the provider could not be reached
// just now, and the button says so.
type ssoButton struct {
	ID, Name string
	Down     bool
}

func (h handler) ssoButtons() []ssoButton {
	var out []ssoButton
	for _, p := range h.OIDC.List() {
		out = append(out, ssoButton{ID: p.ID, Name: p.Name, Down: p.Unavailable()})
	}
	return out
}

// oidcCookie holds the browser's binding key: the flows it started are sealed with it, so a
// state seen elsewhere is useless without this browser.
func (h handler) oidcCookie() string {
	if h.Secure {
		return "__Host-lobby_oidc"
	}
	return "lobby_oidc"
}

// ssoStart handles POST /auth/oidc/{id}/start from the sign-in page (field next) or, with
// link=1, from the profile of a signed-in person who links a login. A POST with the CSRF token,
// so another site cannot start a sign-in in someone's browser.
func (h handler) ssoStart(c *fiber.Ctx) error {
	p, ok := h.OIDC.Get(c.Params("id"))
	if !ok {
		return h.message(c, fiber.StatusNotFound, "Unknown login", "This sign-in option does not exist (any more).",
			map[string]string{"Link": "/login", "LinkText": "Back to sign in"})
	}
	f := oidc.Flow{Purpose: "login", Next: safeNext(c.FormValue("next"))}
	switch u := user(c); {
	case c.FormValue("link") == "1" && u == nil:
		return c.Redirect("/login?next=/profile", fiber.StatusSeeOther)
	case c.FormValue("link") == "1":
		f = oidc.Flow{Purpose: "link", UserID: u.ID, Next: "/profile"}
	case u != nil:
		return c.Redirect(f.Next, fiber.StatusSeeOther)
	}
	return h.startFlow(c, p, f)
}

// inviteSSO handles POST /invite/{token}/sso/{id}: accept the invitation with a provider's
// login. The link is checked here and consumed only at the callback.
func (h handler) inviteSSO(c *fiber.Ctx) error {
	tokenPage(c)
	plain := c.Params("token")
	opened, err := h.Org.OpenInvitation(ctx(c), plain)
	if err != nil {
		return h.inviteProblem(c, plain, opened, err)
	}
	p, ok := h.OIDC.Get(c.Params("id"))
	if !ok {
		return c.Redirect("/invite/"+plain, fiber.StatusSeeOther)
	}
	return h.startFlow(c, p, oidc.Flow{Purpose: "invite", Invite: plain})
}

// joinSSO handles POST /join/{slug}/sso/{id}: join through the join page with a provider's
// login, whose verified address stands in for the confirmation email.
func (h handler) joinSSO(c *fiber.Ctx) error {
	slug := c.Params("slug")
	if _, err := h.Org.JoinPage(ctx(c), slug); err != nil {
		msg, ok := h.orgErrorText(c, err)
		if !ok {
			return err
		}
		return h.message(c, fiber.StatusNotFound, "This join link isn't active", msg, nil)
	}
	p, ok := h.OIDC.Get(c.Params("id"))
	if !ok {
		return c.Redirect("/join/"+slug, fiber.StatusSeeOther)
	}
	return h.startFlow(c, p, oidc.Flow{Purpose: "join", Next: slug})
}

// startFlow discovers the provider, stores the flow for this browser and sends the browser
// to the provider. An unreachable provider gets a plain page, not an error.
func (h handler) startFlow(c *fiber.Ctx, p *oidc.Provider, f oidc.Flow) error {
	binding := c.Cookies(h.oidcCookie())
	if !oidc.ValidBinding(binding) {
		binding = oidc.NewBinding()
	}
	u, err := h.Flows.Start(ctx(c), p, binding, f)
	if pe, ok := oidc.AsError(err); ok {
		h.Log.Warn("An OpenID provider could not be reached to start a sign-in.", pe.LogAttrs()...)
		return h.message(c, fiber.StatusServiceUnavailable, "This login is unavailable right now",
			"We could not reach "+p.Name+". Try again in a few minutes, or use another way to sign in.", h.backLink(f))
	}
	if err != nil {
		return err
	}
	h.setCookie(c, h.oidcCookie(), binding, time.Now().Add(oidc.FlowTTL))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Redirect(u, fiber.StatusSeeOther)
}

// backLink is where a failed sign-in sends the person: back to what they were doing.
func (h handler) backLink(f oidc.Flow) map[string]string {
	switch f.Purpose {
	case "invite":
		return map[string]string{"Link": "/invite/" + f.Invite, "LinkText": "Back to the invitation"}
	case "join":
		return map[string]string{"Link": "/join/" + f.Next, "LinkText": "Back to the join page"}
	case "link":
		return map[string]string{"Link": "/profile", "LinkText": "Back to your profile"}
	}
	return map[string]string{"Link": "/login", "LinkText": "Back to sign in"}
}
