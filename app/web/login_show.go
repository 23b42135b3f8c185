package web

import "github.com/gofiber/fiber/v2"

type loginData struct {
	Email, Next, Error string
}

// loginShow handles GET /login.
func (h handler) loginShow(c *fiber.Ctx) error {
	next := safeNext(c.Query("next"))
	if user(c) != nil {
		return c.Redirect(next, fiber.StatusSeeOther)
	}
	return h.Render.Render(c, fiber.StatusOK, "login", h.page(c, loginData{Next: next}))
}
