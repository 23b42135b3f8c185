package web

import (
	"github.com/gofiber/fiber/v2"
)

// consoleMemberResource handles POST /console/{slug}/members/{id}/resources: give or take back
// one resource directly.
func (h handler) consoleMemberResource(c *fiber.Ctx) error {
	id := c.Params("id")
	grant := c.FormValue("do") != "remove"
	if err := h.Org.GrantResource(ctx(c), consoleWho(c), id, c.FormValue("resource"), grant); err != nil {
		return h.consoleFail(c, "/members/"+id, err)
	}
	return back(c, "/members/"+id, "Saved.")
}
