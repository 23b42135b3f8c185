package api

import (
	"github.com/gofiber/fiber/v2"
)

// importReport handles GET /api/v1/imports/{id}/report.csv.
func (h handler) importReport(c *fiber.Ctx) error {
	// The report is written after the handler returns; the id is a copy (Fiber's Immutable).
	e, err := h.Org.ImportReport(c.UserContext(), actor(c), c.Params("id"))
	if err != nil {
		return h.fail(c, err)
	}
	return h.sendCSV(c, e)
}
