package web

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

type setupData struct {
	Action, Error, OrgName, Slug, Name, Email string
}

// setupShow handles GET /setup/{token}, the first-run page printed by `lobby serve`.
func (h handler) setupShow(c *fiber.Ctx) error {
	tokenPage(c)
	plain := c.Params("token")
	if err := h.Org.CheckSetupLink(ctx(c), plain); err != nil {
		msg, ok := h.orgErrorText(c, err)
		if !ok {
			return err // not the link's fault (the database): the error page, not "can't be used"
		}
		return h.message(c, linkStatus(err), "This setup link can't be used", msg, map[string]string{"Link": "/login", "LinkText": "Sign in"})
	}
	return h.Render.Render(c, fiber.StatusOK, "setup", h.page(c, setupData{Action: "/setup/" + plain}))
}

// setupSubmit handles POST /setup/{token}: the first organization and its owner, signed in.
func (h handler) setupSubmit(c *fiber.Ctx) error {
	tokenPage(c)
	plain := c.Params("token")
	in := org.Setup{OrgName: c.FormValue("org_name"), Slug: c.FormValue("slug"), Email: c.FormValue("email"),
		Name: c.FormValue("name"), Password: c.FormValue("password")}
	u, o, err := h.Org.CompleteSetup(ctx(c), plain, in)
	if err != nil {
		msg, ok := h.orgErrorText(c, err)
		if !ok {
			return err
		}
		if linkProblem(err) { // answered as the GET does, so that guessing counts
			return h.message(c, linkStatus(err), "This setup link can't be used", msg, map[string]string{"Link": "/login", "LinkText": "Sign in"})
		}
		return h.Render.Render(c, fiber.StatusUnprocessableEntity, "setup", h.page(c, setupData{Action: "/setup/" + plain, Error: msg,
			OrgName: in.OrgName, Slug: in.Slug, Name: in.Name, Email: in.Email}))
	}
	if err := h.signIn(c, u); err != nil {
		return err
	}
	return c.Redirect("/?ready="+url.QueryEscape(o.Slug), fiber.StatusSeeOther)
}
