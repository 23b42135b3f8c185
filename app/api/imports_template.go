package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/csvin"
)

// importTemplate handles GET /api/v1/imports/template.csv.
func (h handler) importTemplate(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="lobby-import-template.csv"`)
	return c.Send(csvin.Template())
}
