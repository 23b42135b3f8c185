package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

type updateMemberInput struct {
	Role   *string   `json:"role"`
	Teams  *[]string `json:"teams"`
	Status *string   `json:"status"`
}

// updateMember handles PATCH /api/v1/members/{id}: role, teams, and status (active or
// deactivated).
func (h handler) updateMember(c *fiber.Ctx) error {
	var in updateMemberInput
	if err := h.decode(c, &in); err != nil {
		return h.fail(c, err)
	}
	v, err := h.Org.UpdateMember(c.UserContext(), actor(c), c.Params("id"), org.MemberEdit{Role: in.Role, Teams: in.Teams, Status: in.Status})
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(toMemberJSON(v))
}
