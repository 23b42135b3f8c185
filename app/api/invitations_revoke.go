package api

import "github.com/gofiber/fiber/v2"

// revokeInvitation handles POST /api/v1/invitations/{id}/revoke.
func (h handler) revokeInvitation(c *fiber.Ctx) error {
	v, err := h.Org.Revoke(c.UserContext(), actor(c), c.Params("id"))
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(toInvitationJSON(v))
}
