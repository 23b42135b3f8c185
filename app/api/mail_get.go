package api

import "github.com/gofiber/fiber/v2"

// getMail handles GET /api/v1/mail/{id}: one email of the organization's outbox.
func (h handler) getMail(c *fiber.Ctx) error {
	m, err := h.Org.OutboxMail(c.UserContext(), actor(c), c.Params("id"))
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(toMailJSON(m))
}
