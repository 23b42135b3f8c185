package api

import "github.com/gofiber/fiber/v2"

// getSettings handles GET /api/v1/settings.
func (h handler) getSettings(c *fiber.Ctx) error {
	a := actor(c)
	o, err := h.Org.Settings(c.UserContext(), a)
	if err != nil {
		return h.fail(c, err)
	}
	used, _, err := h.Org.Seats(c.UserContext(), a.OrgID)
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(h.toSettingsJSON(o, used))
}
