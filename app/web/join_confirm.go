package web

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

type joinConfirmView struct {
	org.JoinLink
	Mode   string // signup | signin | confirm | wrong
	Action string
	Name   string
	Error  string
}

// joinConfirmShow handles GET /join/confirm/{token}; only the POST uses the link.
func (h handler) joinConfirmShow(c *fiber.Ctx) error {
	tokenPage(c)
	plain := c.Params("token")
	l, err := h.Org.OpenJoinLink(ctx(c), plain)
	if err != nil {
		return h.joinLinkProblem(c, err)
	}
	return h.Render.Render(c, fiber.StatusOK, "join_confirm", branded(h.page(c, h.joinConfirmView(c, plain, l)), l.Org))
}

func (h handler) joinConfirmView(c *fiber.Ctx, plain string, l org.JoinLink) joinConfirmView {
	v := joinConfirmView{JoinLink: l, Action: "/join/confirm/" + plain, Mode: "signup"}
	switch u := user(c); {
	case u != nil && u.EmailNorm == l.Email:
		v.Mode = "confirm"
	case u != nil:
		v.Mode = "wrong"
	case l.HasAccount:
		v.Mode = "signin"
	}
	return v
}

func (h handler) joinLinkProblem(c *fiber.Ctx, err error) error {
	msg, ok := h.orgErrorText(c, err)
	if !ok {
		return err
	}
	return h.message(c, linkStatus(err), "This link can't be used", msg, nil)
}

// joinConfirmSubmit handles POST /join/confirm/{token}: the double opt-in's second step.
func (h handler) joinConfirmSubmit(c *fiber.Ctx) error {
	tokenPage(c)
	plain := c.Params("token")
	l, err := h.Org.OpenJoinLink(ctx(c), plain)
	if err != nil {
		return h.joinLinkProblem(c, err)
	}
	var joined org.Joined
	step := formStep(c)
	// Every way in asks for the terms; only a signed-out form without a step, which just
	// redirects, does not.
	if (step != "" || user(c) != nil) && !agreed(c, l.Org) {
		return h.joinConfirmAgain(c, plain, l, termsRefused)
	}
	switch step {
	case "signup":
		hash, herr := h.Org.HashPassword(ctx(c), c.FormValue("password"))
		err = herr
		if err == nil {
			joined, err = h.Org.ConfirmJoin(ctx(c), plain, "", &org.SignUp{Name: c.FormValue("name"), PasswordHash: hash})
		}
	case "signin":
		u, serr := h.passwordSignIn(c, l.Email, c.FormValue("password"))
		err = serr
		if err == nil {
			err = h.Org.CheckPasswordLogin(ctx(c), u) // as on the sign-in page
		}
		if err == nil {
			joined, err = h.Org.ConfirmJoin(ctx(c), plain, u.ID, nil)
		}
	default:
		u := user(c)
		if u == nil {
			return c.Redirect("/join/confirm/"+plain, fiber.StatusSeeOther)
		}
		joined, err = h.Org.ConfirmJoin(ctx(c), plain, u.ID, nil)
	}
	if err != nil {
		msg, ok := h.orgErrorText(c, err)
		if !ok {
			return err
		}
		return h.joinConfirmAgain(c, plain, l, msg)
	}
	if err := h.joinedAs(c, joined.User); err != nil {
		return err
	}
	if joined.Requested {
		return h.requestSent(c, joined.Org)
	}
	return c.Redirect("/?joined="+url.QueryEscape(joined.Org.Name), fiber.StatusSeeOther)
}

// joinConfirmAgain shows the confirmation page again with what went wrong, keeping the name typed.
func (h handler) joinConfirmAgain(c *fiber.Ctx, plain string, l org.JoinLink, msg string) error {
	v := h.joinConfirmView(c, plain, l)
	v.Error, v.Name = msg, c.FormValue("name")
	return h.Render.Render(c, fiber.StatusUnprocessableEntity, "join_confirm", branded(h.page(c, v), l.Org))
}
