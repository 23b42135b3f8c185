package api

import "github.com/gofiber/fiber/v2"

// getMember handles GET /api/v1/members/{id}.
func (h handler) getMember(c *fiber.Ctx) error {
	v, err := h.Org.Member(c.UserContext(), actor(c), c.Params("id"))
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(toMemberJSON(v))
}
