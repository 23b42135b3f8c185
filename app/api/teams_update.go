package api

import "github.com/gofiber/fiber/v2"

type updateTeamInput struct {
	Name *string `json:"name"`
}

// renameTeam handles PATCH /api/v1/teams/{id}: a new name; a body without one changes nothing,
// as every PATCH. A team managed by the identity provider (SCIM) is refused with scim_managed,
// as in the console.
func (h handler) renameTeam(c *fiber.Ctx) error {
	var in updateTeamInput
	if err := h.decode(c, &in); err != nil {
		return h.fail(c, err)
	}
	if in.Name != nil {
		if _, err := h.Org.RenameTeam(c.UserContext(), actor(c), c.Params("id"), *in.Name); err != nil {
			return h.fail(c, err)
		}
	}
	// Read back for the member count, which RenameTeam's answer does not carry.
	t, err := h.team(c, c.Params("id"))
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(toTeamJSON(t))
}
