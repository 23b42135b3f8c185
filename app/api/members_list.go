package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/store"
)

// listMembers handles GET /api/v1/members?status=&team=&role=&q=&limit=&cursor=.
func (h handler) listMembers(c *fiber.Ctx) error {
	p, err := idPage(c)
	if err != nil {
		return h.fail(c, err)
	}
	views, err := h.Org.ListMembers(c.UserContext(), actor(c), store.MemberFilter{Status: c.Query("status"),
		TeamID: c.Query("team"), RoleKey: c.Query("role"), Query: c.Query("q"), Page: p})
	if err != nil {
		return h.fail(c, err)
	}
	items := make([]memberJSON, len(views))
	for i, v := range views {
		items[i] = toMemberJSON(v)
	}
	return c.JSON(newList(items, p, func(m memberJSON) string { return m.ID }))
}
