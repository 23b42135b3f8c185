package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/store"
)

// exportMembers handles GET /api/v1/export/members.csv?status=&team=&role=&q=: the members the
// list would show, all of them, as CSV with formula-like cells neutralised.
func (h handler) exportMembers(c *fiber.Ctx) error {
	q := queries(c, "status", "team", "role", "q")
	e, err := h.Org.ExportMembers(c.UserContext(), actor(c), store.MemberFilter{Status: q[0], TeamID: q[1], RoleKey: q[2], Query: q[3]})
	if err != nil {
		return h.fail(c, err)
	}
	return h.sendCSV(c, e)
}
