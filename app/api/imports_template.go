package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/download"
)

// importTemplate handles GET /api/v1/imports/template.csv.
func (h handler) importTemplate(c *fiber.Ctx) error { return download.ImportTemplate(c) }
