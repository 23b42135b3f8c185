package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/store"
)

// exportInvitations handles GET /api/v1/export/invitations.csv?status=&q=&import_id=: the
// invitations the list would show, all of them, as CSV with formula-like cells neutralised.
func (h handler) exportInvitations(c *fiber.Ctx) error {
	q := queries(c, "status", "q", "import_id")
	e, err := h.Org.ExportInvitations(c.UserContext(), actor(c), store.InvitationFilter{Status: q[0], Query: q[1], ImportID: q[2]})
	if err != nil {
		return h.fail(c, err)
	}
	return h.sendCSV(c, e)
}
