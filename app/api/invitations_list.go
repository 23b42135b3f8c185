package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/store"
)

// listInvitations handles GET /api/v1/invitations?status=&q=&limit=&cursor=.
func (h handler) listInvitations(c *fiber.Ctx) error {
	p, err := idPage(c)
	if err != nil {
		return h.fail(c, err)
	}
	views, err := h.Org.ListInvitations(c.UserContext(), actor(c), store.InvitationFilter{Status: c.Query("status"),
		Query: c.Query("q"), ImportID: c.Query("import_id"), Page: p})
	if err != nil {
		return h.fail(c, err)
	}
	items := make([]invitationJSON, len(views))
	for i, v := range views {
		items[i] = toInvitationJSON(v)
	}
	return c.JSON(newList(items, p, func(i invitationJSON) string { return i.ID }))
}
