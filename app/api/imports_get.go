package api

import "github.com/gofiber/fiber/v2"

// getImport handles GET /api/v1/imports/{id}: counts, status and the progress of a commit.
func (h handler) getImport(c *fiber.Ctx) error {
	im, err := h.Org.Import(c.UserContext(), actor(c), c.Params("id"))
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(toImportJSON(im))
}
