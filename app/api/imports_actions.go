package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/csvin"
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

// cancelImport handles POST /api/v1/imports/{id}/cancel: a preview is dropped.
func (h handler) cancelImport(c *fiber.Ctx) error {
	im, err := h.Org.CancelImport(c.UserContext(), actor(c), c.Params("id"))
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(toImportJSON(im))
}

// importTemplate handles GET /api/v1/imports/template.csv.
func (h handler) importTemplate(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="lobby-import-template.csv"`)
	return c.Send(csvin.Template())
}

// importReport handles GET /api/v1/imports/{id}/report.csv.
func (h handler) importReport(c *fiber.Ctx) error {
	// The report is written after the handler returns: nothing of Fiber's request memory may be kept.
	e, err := h.Org.ImportReport(c.UserContext(), actor(c), strings.Clone(c.Params("id")))
	if err != nil {
		return h.fail(c, err)
	}
	return h.sendCSV(c, e)
}
