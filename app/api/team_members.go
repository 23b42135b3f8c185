package api

import "github.com/gofiber/fiber/v2"

// addTeamMember handles PUT /api/v1/teams/{id}/members/{member_id}; adding twice is harmless.
func (h handler) addTeamMember(c *fiber.Ctx) error {
	if err := h.Org.SetTeamMember(c.UserContext(), actor(c), c.Params("id"), c.Params("member_id"), true); err != nil {
		return h.fail(c, err)
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// removeTeamMember handles DELETE /api/v1/teams/{id}/members/{member_id}.
func (h handler) removeTeamMember(c *fiber.Ctx) error {
	if err := h.Org.SetTeamMember(c.UserContext(), actor(c), c.Params("id"), c.Params("member_id"), false); err != nil {
		return h.fail(c, err)
	}
	return c.SendStatus(fiber.StatusNoContent)
}
