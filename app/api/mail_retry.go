package api

import "github.com/gofiber/fiber/v2"

// retryMail handles POST /api/v1/mail/{id}/retry: a failed email is queued again. One whose
// one-time link was taken out when it failed goes as a new email with a new link (an
// invitation's), or is refused with conflict (a password reset, a join confirmation).
func (h handler) retryMail(c *fiber.Ctx) error {
	if err := h.Org.RetryMail(c.UserContext(), actor(c), c.Params("id")); err != nil {
		return h.fail(c, err)
	}
	return c.SendStatus(fiber.StatusNoContent)
}
