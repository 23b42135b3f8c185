package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/store"
)

type teamsView struct{ Teams []store.Team }

// consoleTeams handles GET /console/{slug}/teams.
func (h handler) consoleTeams(c *fiber.Ctx) error {
	teams, err := h.Org.ListTeams(ctx(c), consoleWho(c))
	if err != nil {
		return err
	}
	return h.console(c, fiber.StatusOK, "teams", "teams", teamsView{Teams: teams}, "")
}

// consoleTeamCreate handles POST /console/{slug}/teams.
func (h handler) consoleTeamCreate(c *fiber.Ctx) error {
	t, err := h.Org.CreateTeam(ctx(c), consoleWho(c), c.FormValue("name"))
	if err != nil {
		return h.consoleFail(c, "/teams", err)
	}
	return back(c, "/teams", "Created the team "+t.Name+".")
}

// consoleTeamAct handles POST /console/{slug}/teams/{id}/{rename|delete}.
func (h handler) consoleTeamAct(c *fiber.Ctx) error {
	a, id := consoleWho(c), c.Params("id")
	switch c.Params("action") {
	case "rename":
		t, err := h.Org.RenameTeam(ctx(c), a, id, c.FormValue("name"))
		if err != nil {
			return h.consoleFail(c, "/teams", err)
		}
		return back(c, "/teams", "Renamed to "+t.Name+".")
	case "delete":
		if err := h.Org.DeleteTeam(ctx(c), a, id); err != nil {
			return h.consoleFail(c, "/teams", err)
		}
		return back(c, "/teams", "Deleted the team. Its members stay in the organization.")
	}
	return fiber.ErrNotFound
}
