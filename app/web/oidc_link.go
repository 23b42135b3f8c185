package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/auth/oidc"
)

// ssoLinkData is the "enter your password once to link" page.
type ssoLinkData struct {
	Provider, Email, Pending, Error string
	Invite                          bool
}

// offerLink keeps a verified login whose address has an account, and asks for that account's
// password: a login is never linked to an existing account silently.
func (h handler) offerLink(c *fiber.Ctx, p *oidc.Provider, pend oidc.Pending) error {
	id, err := h.Flows.SavePending(ctx(c), c.Cookies(h.oidcCookie()), pend)
	if err != nil {
		return err
	}
	d := ssoLinkData{Provider: p.Name, Email: pend.Identity.Email, Pending: id, Invite: pend.Invite != ""}
	return h.Render.Render(c, fiber.StatusOK, "sso_link", h.page(c, d))
}

// ssoLinkSubmit handles POST /auth/oidc/link: the password of the account proves it is this
// person's; then the login is linked and used (to sign in, or to accept the invitation).
// Wrong passwords count towards the sign-in throttle.
func (h handler) ssoLinkSubmit(c *fiber.Ctx) error {
	tokenPage(c)
	pendID := c.FormValue("pending")
	pend, err := h.Flows.Pending(ctx(c), pendID, c.Cookies(h.oidcCookie()))
	if err != nil {
		return h.ssoStale(c, err)
	}
	p, ok := h.OIDC.Get(pend.Provider)
	if !ok {
		return h.ssoStale(c, oidc.ErrNoFlow)
	}
	f := oidc.Flow{Purpose: "login", Next: pend.Next}
	if pend.Invite != "" {
		f = oidc.Flow{Purpose: "invite", Invite: pend.Invite}
	}
	u, err := h.passwordSignIn(c, pend.Identity.Email, c.FormValue("password"))
	if err != nil {
		msg, ok := h.orgErrorText(c, err)
		if !ok {
			return err
		}
		status := fiber.StatusUnauthorized
		if e, _ := org.AsError(err); e.Code == codeThrottled {
			status = fiber.StatusTooManyRequests
		}
		d := ssoLinkData{Provider: p.Name, Email: pend.Identity.Email, Pending: pendID, Invite: pend.Invite != "", Error: msg}
		return h.Render.Render(c, status, "sso_link", h.page(c, d))
	}
	if err := h.Flows.UsePending(ctx(c), pendID); err != nil {
		return h.ssoStale(c, err)
	}
	ident := orgIdentity(p, pend.Identity)
	if err := h.Org.LinkIdentity(ctx(c), u.ID, ident); err != nil {
		return h.ssoRefused(c, f, err)
	}
	if pend.Invite != "" {
		acc, err := h.Org.AcceptWithIdentity(ctx(c), pend.Invite, ident, u.ID)
		if err != nil {
			if e, ok := org.AsError(err); ok && (e.Code == org.CodeInviteUsed || e.Code == org.CodeInviteExpired || e.Code == org.CodeInviteRevoked) {
				opened, _ := h.Org.OpenInvitation(ctx(c), pend.Invite)
				return h.inviteProblem(c, pend.Invite, opened, err)
			}
			return h.ssoRefused(c, f, err)
		}
		return h.afterAccept(c, acc)
	}
	// Signing in through the login (not the password) applies the organizations' SSO rules.
	if u, err = h.Org.SignInWithIdentity(ctx(c), ident); err != nil {
		return h.ssoRefused(c, f, err)
	}
	if err := h.signIn(c, u); err != nil {
		return err
	}
	return c.Redirect(safeNext(pend.Next), fiber.StatusSeeOther)
}
