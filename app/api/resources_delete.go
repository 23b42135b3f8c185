package api

import "github.com/gofiber/fiber/v2"

// deleteResource handles DELETE /api/v1/resources/{id}: nobody gets the link any more.
func (h handler) deleteResource(c *fiber.Ctx) error {
	if err := h.Org.DeleteResource(c.UserContext(), actor(c), c.Params("id")); err != nil {
		return h.fail(c, err)
	}
	return c.SendStatus(fiber.StatusNoContent)
}
