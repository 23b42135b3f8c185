package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

type updateInvitationInput struct {
	Role  *string   `json:"role"`
	Teams *[]string `json:"teams"`
}

// updateInvitation handles PATCH /api/v1/invitations/{id}: role and teams, while pending.
func (h handler) updateInvitation(c *fiber.Ctx) error {
	var in updateInvitationInput
	if err := h.decode(c, &in); err != nil {
		return h.fail(c, err)
	}
	v, err := h.Org.EditInvitation(c.UserContext(), actor(c), c.Params("id"), org.InvitationEdit{Role: in.Role, Teams: in.Teams})
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(toInvitationJSON(v))
}
