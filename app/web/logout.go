package web

import "github.com/gofiber/fiber/v2"

// logoutShow handles GET /logout: a button, because signing out changes state and GET never does.
func (h handler) logoutShow(c *fiber.Ctx) error {
	if user(c) == nil {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	return h.Render.Render(c, fiber.StatusOK, "logout", h.page(c, nil))
}

// logoutSubmit handles POST /logout: the session ends in the database, not just in the browser.
func (h handler) logoutSubmit(c *fiber.Ctx) error {
	if err := h.signOut(c); err != nil {
		return err
	}
	next := safeNext(c.FormValue("next"))
	if next == "/" {
		next = "/login"
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}
