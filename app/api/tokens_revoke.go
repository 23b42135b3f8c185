package api

import "github.com/gofiber/fiber/v2"

// revokeToken handles DELETE /api/v1/tokens/{id}: the token stops working at once (this one
// too, if it is the caller's own). It stays listed, as revoked.
func (h handler) revokeToken(c *fiber.Ctx) error {
	if err := h.Org.RevokeToken(c.UserContext(), actor(c), c.Params("id")); err != nil {
		return h.fail(c, err)
	}
	return c.SendStatus(fiber.StatusNoContent)
}
