package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/address"
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
