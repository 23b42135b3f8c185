package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/download"
)

// consoleImportReport handles GET /console/{slug}/imports/{id}/report.csv: every row and what
// happened to it.
func (h handler) consoleImportReport(c *fiber.Ctx) error {
	e, err := h.Org.ImportReport(ctx(c), consoleWho(c), c.Params("id"))
	if err != nil {
		return h.consoleFail(c, "/imports", err)
	}
	return download.CSV(c, e, h.Log)
}
