package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

type resourcesView struct {
	Resources []org.ResourceView
	Teams     []store.Team
}

// consoleResources handles GET /console/{slug}/resources: the links members get, and which
// teams grant each.
func (h handler) consoleResources(c *fiber.Ctx) error {
	a := consoleWho(c)
	list, err := h.Org.Resources(ctx(c), a)
	if err != nil {
		return h.consoleFail(c, "", err)
	}
	teams, err := h.Org.ListTeams(ctx(c), a)
	if err != nil {
		return err
	}
	return h.console(c, fiber.StatusOK, "resources", "resources", resourcesView{Resources: list, Teams: teams}, "")
}

// consoleResourceCreate handles POST /console/{slug}/resources.
func (h handler) consoleResourceCreate(c *fiber.Ctx) error {
	r, err := h.Org.CreateResource(ctx(c), consoleWho(c), c.FormValue("name"), c.FormValue("url"), c.FormValue("description"), formList(c, "teams"))
	if err != nil {
		return h.consoleFail(c, "/resources", err)
	}
	return back(c, "/resources", "Added "+r.Name+".")
}

// consoleResourceAct handles POST /console/{slug}/resources/{id}/{teams|delete}.
func (h handler) consoleResourceAct(c *fiber.Ctx) error {
	a, id := consoleWho(c), c.Params("id")
	switch c.Params("action") {
	case "teams":
		if err := h.Org.SetResourceTeams(ctx(c), a, id, formList(c, "teams")); err != nil {
			return h.consoleFail(c, "/resources", err)
		}
		return back(c, "/resources", "Saved.")
	case "delete":
		if err := h.Org.DeleteResource(ctx(c), a, id); err != nil {
			return h.consoleFail(c, "/resources", err)
		}
		return back(c, "/resources", "Removed. Nobody gets that link any more.")
	}
	return fiber.ErrNotFound
}
