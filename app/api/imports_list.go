package api

import "github.com/gofiber/fiber/v2"

// listImports handles GET /api/v1/imports?limit=&cursor=: who uploaded what when, with counts.
func (h handler) listImports(c *fiber.Ctx) error {
	p, err := idPage(c)
	if err != nil {
		return h.fail(c, err)
	}
	list, err := h.Org.ListImports(c.UserContext(), actor(c), p)
	if err != nil {
		return h.fail(c, err)
	}
	items := make([]importJSON, len(list))
	for i, im := range list {
		items[i] = toImportJSON(im)
	}
	return c.JSON(newList(items, p, func(i importJSON) string { return i.ID }))
}
