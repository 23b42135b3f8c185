package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
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

// team reads one of the actor's organization's teams with its member count. org has no read of
// a single team, so it is picked from org's list of the organization's teams (which checks the
// permission and holds the counts).
func (h handler) team(c *fiber.Ctx, id string) (store.Team, error) {
	teams, err := h.Org.ListTeams(c.UserContext(), actor(c))
	if err != nil {
		return store.Team{}, err
	}
	for _, t := range teams {
		if t.ID == id {
			return t, nil
		}
	}
	return store.Team{}, &org.Error{Code: org.CodeNotFound, Message: "team was not found"}
}
