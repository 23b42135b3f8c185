package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/csvin"
)

// consoleImportTemplate handles GET /console/{slug}/imports/template.csv.
func (h handler) consoleImportTemplate(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="lobby-invitations-template.csv"`)
	return c.Send(csvin.Template())
}
