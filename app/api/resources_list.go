package api

import "github.com/gofiber/fiber/v2"

// listResources handles GET /api/v1/resources?limit=&cursor=: the links members get, by name,
// and the teams that grant each. The cursor is the id of the last resource.
func (h handler) listResources(c *fiber.Ctx) error {
	p, err := page(c)
	if err != nil {
		return h.fail(c, err)
	}
	all, err := h.resources(c)
	if err != nil {
		return h.fail(c, err)
	}
	l, err := wholePage(all, p, func(r resourceJSON) string { return r.ID })
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(l)
}
