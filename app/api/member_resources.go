package api

import "github.com/gofiber/fiber/v2"

// grantResource handles PUT /api/v1/members/{id}/resources/{resource_id}: the member gets the
// resource directly, besides any their teams give; granting twice is harmless.
func (h handler) grantResource(c *fiber.Ctx) error {
	if err := h.Org.GrantResource(c.UserContext(), actor(c), c.Params("id"), c.Params("resource_id"), true); err != nil {
		return h.fail(c, err)
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// withdrawResource handles DELETE /api/v1/members/{id}/resources/{resource_id}: the direct
// grant ends (a team that grants the resource still does); 404 when there was none.
func (h handler) withdrawResource(c *fiber.Ctx) error {
	if err := h.Org.GrantResource(c.UserContext(), actor(c), c.Params("id"), c.Params("resource_id"), false); err != nil {
		return h.fail(c, err)
	}
	return c.SendStatus(fiber.StatusNoContent)
}
