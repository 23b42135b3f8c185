package api

import "github.com/gofiber/fiber/v2"

// listTeams handles GET /api/v1/teams (all teams, by name; organizations have few).
func (h handler) listTeams(c *fiber.Ctx) error {
	teams, err := h.Org.ListTeams(c.UserContext(), actor(c))
	if err != nil {
		return h.fail(c, err)
	}
	items := make([]teamJSON, len(teams))
	for i, t := range teams {
		items[i] = toTeamJSON(t)
	}
	return c.JSON(list[teamJSON]{Items: items})
}
