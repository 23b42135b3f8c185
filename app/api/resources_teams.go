package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

type resourceTeamsInput struct {
	Teams *[]string `json:"teams"`
}

// setResourceTeams handles PUT /api/v1/resources/{id}/teams: the teams (names or ids) that
// grant the resource, replacing the ones before; an empty list leaves only direct grants.
func (h handler) setResourceTeams(c *fiber.Ctx) error {
	var in resourceTeamsInput
	if err := h.decode(c, &in); err != nil {
		return h.fail(c, err)
	}
	if in.Teams == nil {
		// A PUT replaces: a missing list would silently take every team away.
		return h.fail(c, &org.Error{Code: org.CodeInvalid, Field: "teams", Message: "give teams: the full list of teams (names or ids), [] for none"})
	}
	id := c.Params("id")
	if err := h.Org.SetResourceTeams(c.UserContext(), actor(c), id, *in.Teams); err != nil {
		return h.fail(c, err)
	}
	out, err := h.resource(c, id)
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(out)
}
