package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/store"
)

// getTeam handles GET /api/v1/teams/{id}: one team with its member count.
func (h handler) getTeam(c *fiber.Ctx) error {
	t, err := h.team(c, c.Params("id"))
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(toTeamJSON(t))
}

// team reads one of the actor's organization's teams with its member count.
func (h handler) team(c *fiber.Ctx, id string) (store.Team, error) {
	return h.Org.Team(c.UserContext(), actor(c), id)
}
