package web

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

// inviteSubmit handles POST /invite/{token}: sign up, sign in, or accept as the signed-in
// person. The link is consumed only here, in one transaction with the membership.
func (h handler) inviteSubmit(c *fiber.Ctx) error {
	tokenPage(c)
	plain := c.Params("token")
	opened, err := h.Org.OpenInvitation(ctx(c), plain)
	if err != nil {
		return h.inviteProblem(c, plain, opened, err)
	}
	var acc org.Accepted
	step := formStep(c)
	if me := user(c); me != nil && me.EmailNorm != opened.Invitation.EmailNorm && step != "" {
		// As the page says: someone signed in as another person signs out first, rather than
		// have this form swap their session for a new one.
		step = ""
	}
	// Every way in asks for the terms; only a signed-out form without a step, which just
	// redirects, does not.
	if (step != "" || user(c) != nil) && !agreed(c, opened.Org) {
		return h.inviteAgain(c, plain, opened, termsRefused)
	}
	switch step {
	case "signup":
		hash, err := h.Org.HashPassword(ctx(c), c.FormValue("password"))
		if err == nil {
			acc, err = h.Org.AcceptNewAccount(ctx(c), plain, org.SignUp{Name: c.FormValue("name"), PasswordHash: hash})
		}
		if err != nil {
			return h.inviteFailed(c, plain, opened, err)
		}
	case "signin":
		u, err := h.passwordSignIn(c, opened.Invitation.EmailNorm, c.FormValue("password"))
		if err == nil {
			err = h.Org.CheckPasswordLogin(ctx(c), u) // as on the sign-in page
		}
		if err == nil {
			acc, err = h.Org.Accept(ctx(c), plain, u.ID)
		}
		if err != nil {
			return h.inviteFailed(c, plain, opened, err)
		}
	default:
		u := user(c)
		if u == nil {
			return c.Redirect("/invite/"+plain, fiber.StatusSeeOther)
		}
		if acc, err = h.Org.Accept(ctx(c), plain, u.ID); err != nil {
			return h.inviteFailed(c, plain, opened, err)
		}
	}
	if err := h.joinedAs(c, acc.User); err != nil {
		return err
	}
	key := "joined"
	if acc.AlreadyMember {
		key = "already"
	}
	return c.Redirect("/?"+key+"="+url.QueryEscape(acc.Org.Name), fiber.StatusSeeOther)
}

func (h handler) inviteFailed(c *fiber.Ctx, plain string, o org.OpenedInvitation, err error) error {
	msg, ok := h.orgErrorText(c, err)
	if !ok {
		return err
	}
	if e, _ := org.AsError(err); e.Code == org.CodeInviteUsed || e.Code == org.CodeInviteExpired || e.Code == org.CodeInviteRevoked {
		return h.inviteProblem(c, plain, o, err)
	}
	return h.inviteAgain(c, plain, o, msg)
}

func (h handler) inviteAgain(c *fiber.Ctx, plain string, o org.OpenedInvitation, msg string) error {
	d, err := h.inviteData(c, plain, o)
	if err != nil {
		return err
	}
	d.Error, d.Name = msg, c.FormValue("name")
	return h.Render.Render(c, fiber.StatusUnprocessableEntity, "invite", branded(h.page(c, d), o.Org))
}
