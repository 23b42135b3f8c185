package api

import "github.com/gofiber/fiber/v2"

// deleteMember handles DELETE /api/v1/members/{id} and reports what was handed over.
func (h handler) deleteMember(c *fiber.Ctx) error {
	d, err := h.Org.DeleteMember(c.UserContext(), actor(c), c.Params("id"))
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(fiber.Map{"deleted": true, "invitations_reassigned": d.Invitations, "teams_reassigned": d.Teams})
}
