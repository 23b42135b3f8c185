package api

import (
	"github.com/gofiber/fiber/v2"
)

// cancelImport handles POST /api/v1/imports/{id}/cancel: a preview is dropped.
func (h handler) cancelImport(c *fiber.Ctx) error {
	im, err := h.Org.CancelImport(c.UserContext(), actor(c), c.Params("id"))
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(toImportJSON(im))
}
