package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

type createRoleInput struct {
	Key         string   `json:"key"`
	Name        string   `json:"name"`
	Permissions []string `json:"permissions"`
}

// createRole handles POST /api/v1/roles: a custom role from the fixed permission list. org
// checks the key, the permissions and that the role can do nothing the caller's cannot.
func (h handler) createRole(c *fiber.Ctx) error {
	var in createRoleInput
	if err := h.decode(c, &in); err != nil {
		return h.fail(c, err)
	}
	r, err := h.Org.CreateRole(c.UserContext(), actor(c), in.Key, in.Name, in.Permissions)
	if err != nil {
		return h.fail(c, err)
	}
	return c.Status(fiber.StatusCreated).JSON(toRoleJSON(org.RoleCount{Role: r}))
}
