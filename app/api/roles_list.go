package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

// roleJSON is a role as the API shows it: built-in (owner, admin, member) or custom, with its
// permissions and how many active members hold it.
type roleJSON struct {
	Key         string   `json:"key"`
	Name        string   `json:"name"`
	Builtin     bool     `json:"builtin"`
	Permissions []string `json:"permissions"`
	MemberCount int64    `json:"member_count"`
	CreatedAt   string   `json:"created_at"`
}

func toRoleJSON(r org.RoleCount) roleJSON {
	perms := r.Permissions
	if perms == nil {
		perms = []string{}
	}
	return roleJSON{Key: r.Key, Name: r.Name, Builtin: r.Builtin, Permissions: perms, MemberCount: r.Members, CreatedAt: rfc3339(r.CreatedAt)}
}

// listRoles handles GET /api/v1/roles?limit=&cursor=: the roles, highest first, and who has
// each, as the console's Roles screen lists them. The cursor is the key of the last role.
func (h handler) listRoles(c *fiber.Ctx) error {
	p, err := page(c)
	if err != nil {
		return h.fail(c, err)
	}
	roles, err := h.Org.RolesWithCounts(c.UserContext(), actor(c))
	if err != nil {
		return h.fail(c, err)
	}
	items := make([]roleJSON, len(roles))
	for i, r := range roles {
		items[i] = toRoleJSON(r)
	}
	l, err := wholePage(items, p, func(r roleJSON) string { return r.Key })
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(l)
}
