package api

import "github.com/gofiber/fiber/v2"

// getInvitation handles GET /api/v1/invitations/{id}.
func (h handler) getInvitation(c *fiber.Ctx) error {
	v, err := h.Org.Invitation(c.UserContext(), actor(c), c.Params("id"))
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(toInvitationJSON(v))
}
