package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/download"
	"github.com/lobby/lobby/app/org"
)

// sendCSV streams an export as the answer (download.CSV).
func (h handler) sendCSV(c *fiber.Ctx, e org.Export) error { return download.CSV(c, e, h.Log) }

// queries reads query parameters in order (download.Queries).
func queries(c *fiber.Ctx, keys ...string) []string { return download.Queries(c, keys...) }
