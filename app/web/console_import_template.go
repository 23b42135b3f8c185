package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/download"
)

// consoleImportTemplate handles GET /console/{slug}/imports/template.csv.
func (h handler) consoleImportTemplate(c *fiber.Ctx) error { return download.ImportTemplate(c) }
