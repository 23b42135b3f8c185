package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/address"
	"github.com/lobby/lobby/app/org"
)

// resetFloor is the least time a reset request takes, so known and unknown addresses answer
// alike.
const resetFloor = 400 * time.Millisecond

type resetRequestData struct {
	Email, Error string
	Sent         bool
}

// resetRequestShow handles GET /reset.
func (h handler) resetRequestShow(c *fiber.Ctx) error {
	return h.Render.Render(c, fiber.StatusOK, "reset_request", h.page(c, resetRequestData{}))
}

// resetRequestSubmit handles POST /reset. The answer is the same whether or not the address
// is known; only a malformed address is told so.
func (h handler) resetRequestSubmit(c *fiber.Ctx) error {
	start := time.Now()
	email := strings.TrimSpace(c.FormValue("email"))
	norm, err := address.Parse(email)
	if err != nil {
		return h.Render.Render(c, fiber.StatusUnprocessableEntity, "reset_request", h.page(c, resetRequestData{Email: email,
			Error: "That email address doesn't look right: " + err.Error() + "."}))
	}
	overIP, _ := h.Throttle.Hit(ctx(c), "reset-ip:"+h.ClientIP(c), 20, time.Hour)
	overAddr, _ := h.Throttle.Hit(ctx(c), "reset-addr:"+norm, 3, time.Hour)
	if !overIP && !overAddr {
		if err := h.Org.RequestReset(ctx(c), norm); err != nil {
			h.Log.Error("A password reset request failed.", "err", err)
		}
	}
	if d := resetFloor - time.Since(start); d > 0 {
		time.Sleep(d)
	}
	return h.Render.Render(c, fiber.StatusOK, "reset_request", h.page(c, resetRequestData{Email: norm, Sent: true}))
}

type resetData struct{ Action, Error string }

// resetShow handles GET /reset/{token}; the link is used only by the POST.
func (h handler) resetShow(c *fiber.Ctx) error {
	tokenPage(c)
	plain := c.Params("token")
	if err := h.Org.CheckResetLink(ctx(c), plain); err != nil {
		if _, ok := org.AsError(err); !ok {
			return err
		}
		return h.message(c, linkStatus(err), "This reset link can't be used",
			"A reset link works once, for an hour, and only the newest one you asked for. Ask for a new one and use it soon.",
			map[string]string{"Link": "/reset", "LinkText": "Send a new link"})
	}
	return h.Render.Render(c, fiber.StatusOK, "reset", h.page(c, resetData{Action: "/reset/" + plain}))
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
		return h.Render.Render(c, fiber.StatusUnprocessableEntity, "reset", h.page(c, resetData{Action: "/reset/" + plain, Error: msg}))
	}
	if _, err := h.Sessions.EndAll(ctx(c), u.ID, ""); err != nil {
		return err
	}
	if err := h.signIn(c, u); err != nil {
		return err
	}
	return c.Redirect("/?saved=1", fiber.StatusSeeOther)
}
