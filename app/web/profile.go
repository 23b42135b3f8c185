package web

import (
	"github.com/gofiber/fiber/v2"
)

type profileData struct {
	Error string
	// Logins are the linked OpenID logins; Link the providers not linked yet (profile_logins.go).
	Logins []linkedLogin
	Link   []ssoButton
}

// profileShow handles GET /profile.
func (h handler) profileShow(c *fiber.Ctx) error {
	d := profileData{}
	var err error
	if d.Logins, d.Link, err = h.profileLogins(c); err != nil {
		return err
	}
	p := h.page(c, d)
	p.Notice = savedNotice(c.Query("saved"))
	return h.Render.Render(c, fiber.StatusOK, "profile", p)
}

// profileUpdate handles POST /profile: the person's name.
func (h handler) profileUpdate(c *fiber.Ctx) error {
	if err := h.Org.UpdateName(ctx(c), user(c).ID, c.FormValue("name")); err != nil {
		return h.profileFailed(c, err)
	}
	return c.Redirect("/profile?saved=1", fiber.StatusSeeOther)
}

// passwordChanged is what a person is told after changing or resetting their password.
const passwordChanged = "Your password is changed. You were signed out everywhere else."

// savedNotice is the notice for a page's ?saved=: what was saved, or nothing.
func savedNotice(saved string) string {
	switch saved {
	case "":
		return ""
	case "password":
		return passwordChanged
	}
	return "Saved."
}

func (h handler) profileFailed(c *fiber.Ctx, err error) error {
	msg, ok := h.orgErrorText(c, err)
	if !ok {
		return err
	}
	d := profileData{Error: msg}
	if d.Logins, d.Link, err = h.profileLogins(c); err != nil {
		return err
	}
	return h.Render.Render(c, fiber.StatusUnprocessableEntity, "profile", h.page(c, d))
}
