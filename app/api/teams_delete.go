package api

import "github.com/gofiber/fiber/v2"

// deleteTeam handles DELETE /api/v1/teams/{id}; its members stay in the organization. A team
// managed by the identity provider (SCIM) is refused with scim_managed, as in the console.
func (h handler) deleteTeam(c *fiber.Ctx) error {
	if err := h.Org.DeleteTeam(c.UserContext(), actor(c), c.Params("id")); err != nil {
		return h.fail(c, err)
	}
	return c.SendStatus(fiber.StatusNoContent)
}
