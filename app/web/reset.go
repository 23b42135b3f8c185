package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

type resetData struct {
	Action, Error string
	// Email is the address of the account the link resets.
	Email string
}

// resetShow handles GET /reset/{token}; the link is used only by the POST.
func (h handler) resetShow(c *fiber.Ctx) error {
	tokenPage(c)
	plain := c.Params("token")
	email, err := h.Org.CheckResetLink(ctx(c), plain)
	if err != nil {
		if _, ok := org.AsError(err); !ok {
			return err
		}
		return h.message(c, linkStatus(err), "This reset link can't be used",
			"A reset link works once, for an hour, and only the newest one you asked for. Ask for a new one and use it soon.",
			map[string]string{"Link": "/reset", "LinkText": "Send a new link"})
	}
	return h.Render.Render(c, fiber.StatusOK, "reset", h.page(c, resetData{Action: "/reset/" + plain, Email: email}))
}

// resetSubmit handles POST /reset/{token}: new password, every old session ends, signed in.
func (h handler) resetSubmit(c *fiber.Ctx) error {
	tokenPage(c)
	plain := c.Params("token")
	u, err := h.Org.ResetPassword(ctx(c), plain, c.FormValue("password"))
	if err != nil {
		msg, ok := h.orgErrorText(c, err)
		if !ok {
			return err
		}
		if linkProblem(err) { // answered as the GET does, so that guessing counts
			return h.message(c, linkStatus(err), "This reset link can't be used", msg, map[string]string{"Link": "/reset", "LinkText": "Send a new link"})
		}
		// The link is still good (the password was refused), so it still names its account.
		email, _ := h.Org.CheckResetLink(ctx(c), plain)
		return h.Render.Render(c, fiber.StatusUnprocessableEntity, "reset", h.page(c, resetData{Action: "/reset/" + plain, Error: msg, Email: email}))
	}
	if err := h.signIn(c, u); err != nil {
		return err
	}
	return c.Redirect("/?saved=password", fiber.StatusSeeOther)
}
