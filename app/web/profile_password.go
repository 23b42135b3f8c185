package web

import (
	"github.com/gofiber/fiber/v2"
)

// passwordChange handles POST /profile/password. Every session of the person ends with the
// change (org.ChangePassword), and this browser is signed in again with a new one.
func (h handler) passwordChange(c *fiber.Ctx) error {
	u := user(c)
	if err := h.Org.ChangePassword(ctx(c), u.ID, c.FormValue("current_password"), c.FormValue("password")); err != nil {
		return h.profileFailed(c, err)
	}
	fresh, err := h.Org.User(ctx(c), u.ID)
	if err != nil {
		return err
	}
	if err := h.signIn(c, fresh); err != nil {
		return err
	}
	return c.Redirect("/profile?saved=password", fiber.StatusSeeOther)
}
