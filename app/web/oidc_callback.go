package web

import (
	"errors"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/auth/oidc"
)

// ssoCallback handles GET /auth/oidc/{id}/callback, where the provider sends the browser back.
// The state must be one this browser started with this provider, unused and under 10
// minutes old; then the code is exchanged (with the PKCE verifier) and the ID token checked
// (signature, issuer, audience, expiry, nonce) before the identity is used.
func (h handler) ssoCallback(c *fiber.Ctx) error {
	tokenPage(c)
	p, ok := h.OIDC.Get(c.Params("id"))
	if !ok {
		return h.message(c, fiber.StatusNotFound, "Unknown login", "This sign-in option does not exist (any more).",
			map[string]string{"Link": "/login", "LinkText": "Back to sign in"})
	}
	f, err := h.Flows.Finish(ctx(c), p.ID, c.Query("state"), c.Cookies(h.oidcCookie()))
	if err != nil {
		return h.ssoStale(c, err)
	}
	if code := c.Query("error"); code != "" {
		return h.ssoProblem(c, p, f, oidc.CallbackError(p.ID, code, c.Query("error_description")))
	}
	id, err := p.Exchange(ctx(c), c.Query("code"), f.Verifier, f.Nonce)
	if err != nil {
		return h.ssoProblem(c, p, f, err)
	}
	if !p.DomainAllowed(id.Email) {
		h.Log.Info("A sign-in was refused: the address is not in the provider's allowed domains.", "provider", p.ID)
		return h.message(c, fiber.StatusForbidden, "This login can't be used here",
			"Only "+p.Name+" logins with a confirmed address at an allowed domain can sign in here.", h.backLink(f))
	}
	ident := orgIdentity(p, id)
	switch f.Purpose {
	case "invite":
		return h.ssoInvite(c, p, f, id, ident)
	case "join":
		return h.ssoJoin(c, f, ident)
	case "link":
		return h.ssoLinkProfile(c, f, ident)
	}
	return h.ssoLogin(c, p, f, id, ident)
}

func orgIdentity(p *oidc.Provider, id oidc.Identity) org.Identity {
	return org.Identity{Issuer: id.Issuer, Subject: id.Subject, Email: id.Email, Name: id.Name, ProviderID: p.ID, Provider: p.Name}
}

// ssoLogin signs in a known login; an unknown one whose verified address has an account is
// offered linking with the password; anything else learns there is no account.
func (h handler) ssoLogin(c *fiber.Ctx, p *oidc.Provider, f oidc.Flow, id oidc.Identity, ident org.Identity) error {
	u, err := h.Org.SignInWithIdentity(ctx(c), ident)
	if err == nil {
		if err := h.signIn(c, u); err != nil {
			return err
		}
		return c.Redirect(safeNext(f.Next), fiber.StatusSeeOther)
	}
	if e, ok := org.AsError(err); !ok || e.Code != org.CodeIdentityUnknown {
		return h.ssoRefused(c, f, err)
	}
	if id.Email != "" {
		has, err := h.Org.HasAccount(ctx(c), id.Email)
		if err != nil {
			return err
		}
		if has {
			return h.offerLink(c, p, oidc.Pending{Provider: p.ID, Identity: id, Next: f.Next})
		}
	}
	msg := "No account here uses your " + p.Name + " login"
	if id.Email != "" {
		msg += " (" + id.Email + ")"
	} else {
		msg += " (and " + p.Name + " did not confirm an email address for it)"
	}
	return h.message(c, fiber.StatusForbidden, "There's no account for this login", msg+
		". To join an organization, open the invitation email you received and choose "+p.Name+
		" there, or ask an admin of the organization for an invitation.", map[string]string{"Link": "/login", "LinkText": "Back to sign in"})
}

// ssoInvite accepts the flow's invitation with the login.
func (h handler) ssoInvite(c *fiber.Ctx, p *oidc.Provider, f oidc.Flow, id oidc.Identity, ident org.Identity) error {
	signedIn := ""
	if u := user(c); u != nil {
		signedIn = u.ID
	}
	acc, err := h.Org.AcceptWithIdentity(ctx(c), f.Invite, ident, signedIn)
	if err != nil {
		e, ok := org.AsError(err)
		switch {
		case ok && e.Code == org.CodeEmailTaken:
			return h.offerLink(c, p, oidc.Pending{Provider: p.ID, Identity: id, Invite: f.Invite})
		case ok && (e.Code == org.CodeInviteUsed || e.Code == org.CodeInviteExpired || e.Code == org.CodeInviteRevoked || e.Code == org.CodeNotFound):
			opened, _ := h.Org.OpenInvitation(ctx(c), f.Invite)
			return h.inviteProblem(c, f.Invite, opened, err)
		}
		return h.ssoRefused(c, f, err)
	}
	return h.afterAccept(c, acc)
}

// afterAccept signs in the person who accepted (unless they already are) and greets them.
func (h handler) afterAccept(c *fiber.Ctx, acc org.Accepted) error {
	if u := user(c); u == nil || u.ID != acc.User.ID {
		if err := h.signIn(c, acc.User); err != nil {
			return err
		}
	}
	key := "joined"
	if acc.AlreadyMember {
		key = "already"
	}
	return c.Redirect("/?"+key+"="+url.QueryEscape(acc.Org.Name), fiber.StatusSeeOther)
}

// ssoJoin joins the organization of the flow's join page with the login.
func (h handler) ssoJoin(c *fiber.Ctx, f oidc.Flow, ident org.Identity) error {
	signedIn := ""
	if u := user(c); u != nil {
		signedIn = u.ID
	}
	j, err := h.Org.JoinWithIdentity(ctx(c), f.Next, ident, signedIn)
	if err != nil {
		return h.ssoRefused(c, f, err)
	}
	if u := user(c); u == nil || u.ID != j.User.ID {
		if err := h.signIn(c, j.User); err != nil {
			return err
		}
	}
	if j.Requested {
		return h.requestSent(c, j.Org)
	}
	return c.Redirect("/?joined="+url.QueryEscape(j.Org.Name), fiber.StatusSeeOther)
}

// ssoLinkProfile links the login to the signed-in person who started the flow.
func (h handler) ssoLinkProfile(c *fiber.Ctx, f oidc.Flow, ident org.Identity) error {
	u := user(c)
	if u == nil || u.ID != f.UserID {
		return h.message(c, fiber.StatusForbidden, "Sign in again to link this login",
			"You are no longer signed in as the person who asked to link it. Sign in and try again from your profile.",
			map[string]string{"Link": "/login?next=/profile", "LinkText": "Sign in"})
	}
	if err := h.Org.LinkIdentity(ctx(c), u.ID, ident); err != nil {
		return h.profileFailed(c, err)
	}
	return c.Redirect("/profile?saved=1", fiber.StatusSeeOther)
}

// ssoRefused explains an org refusal (wrong address, unverified email, SSO required…).
func (h handler) ssoRefused(c *fiber.Ctx, f oidc.Flow, err error) error {
	msg, ok := h.orgErrorText(c, err)
	if !ok {
		return err
	}
	return h.message(c, fiber.StatusForbidden, "We couldn't sign you in with this login", msg, h.backLink(f))
}

// ssoStale answers a callback whose state is unknown, used, expired or from another browser.
func (h handler) ssoStale(c *fiber.Ctx, err error) error {
	if !errors.Is(err, oidc.ErrNoFlow) && !errors.Is(err, oidc.ErrFlowUsed) && !errors.Is(err, oidc.ErrOtherBrowser) {
		return err
	}
	h.Log.Info("A sign-in callback was refused.", "reason", err.Error(), "route", c.Route().Path)
	return h.message(c, fiber.StatusBadRequest, "This sign-in could not be finished",
		"It may have taken longer than 10 minutes, been completed already, or been started in another browser. Start again.",
		map[string]string{"Link": "/login", "LinkText": "Back to sign in"})
}
