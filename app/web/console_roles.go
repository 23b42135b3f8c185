package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

type rolesView struct {
	Roles       []org.RoleCount
	Permissions []org.Permission
}

// consoleRoles handles GET /console/{slug}/roles: built-in and custom roles and who has each.
func (h handler) consoleRoles(c *fiber.Ctx) error {
	roles, err := h.Org.RolesWithCounts(ctx(c), consoleWho(c))
	if err != nil {
		return err
	}
	return h.console(c, fiber.StatusOK, "roles", "roles", rolesView{Roles: roles, Permissions: org.Permissions}, "")
}

// consoleRoleCreate handles POST /console/{slug}/roles: a custom role.
func (h handler) consoleRoleCreate(c *fiber.Ctx) error {
	name := strings.TrimSpace(c.FormValue("name"))
	key := strings.ToLower(strings.Join(strings.Fields(name), "-"))
	r, err := h.Org.CreateRole(ctx(c), consoleWho(c), key, name, formList(c, "permissions"))
	if err != nil {
		return h.consoleFail(c, "/roles", err)
	}
	return back(c, "/roles", "Created the role "+r.Name+".")
}
