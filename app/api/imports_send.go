package api

import (
	"github.com/gofiber/fiber/v2"
)

type sentJSON struct {
	Queued int        `json:"queued"`
	Import importJSON `json:"import"`
}

// sendImport handles POST /api/v1/imports/{id}/send: the emails of the import's invitations
// that were created without notify and are still pending.
func (h handler) sendImport(c *fiber.Ctx) error {
	n, err := h.Org.SendImport(c.UserContext(), actor(c), c.Params("id"))
	if err != nil {
		return h.fail(c, err)
	}
	im, err := h.Org.Import(c.UserContext(), actor(c), c.Params("id"))
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(sentJSON{Queued: n, Import: toImportJSON(im)})
}
