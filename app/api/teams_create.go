package api

import "github.com/gofiber/fiber/v2"

type createTeamInput struct {
	Name string `json:"name"`
}

// createTeam handles POST /api/v1/teams.
func (h handler) createTeam(c *fiber.Ctx) error {
	var in createTeamInput
	if err := h.decode(c, &in); err != nil {
		return h.fail(c, err)
	}
	t, err := h.Org.CreateTeam(c.UserContext(), actor(c), in.Name)
	if err != nil {
		return h.fail(c, err)
	}
	return c.Status(fiber.StatusCreated).JSON(toTeamJSON(t))
}
