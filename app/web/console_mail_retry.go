package web

import (
	"github.com/gofiber/fiber/v2"
)

// consoleMailRetry handles POST /console/{slug}/mail/{id}/retry.
func (h handler) consoleMailRetry(c *fiber.Ctx) error {
	if err := h.Org.RetryMail(ctx(c), consoleWho(c), c.Params("id")); err != nil {
		return h.consoleFail(c, "/mail", err)
	}
	return back(c, "/mail", "Queued again; it goes out in a moment.")
}
