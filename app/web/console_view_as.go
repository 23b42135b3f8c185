package web

import (
	"cmp"

	"github.com/gofiber/fiber/v2"
)

// consoleViewAs handles GET /console/{slug}/members/{id}/view: the member's page exactly as
// they see it, read-only, recorded in the audit log.
func (h handler) consoleViewAs(c *fiber.Ctx) error {
	m, orgs, err := h.Org.ViewAs(ctx(c), consoleWho(c), c.Params("id"))
	if err != nil {
		return h.consoleFail(c, "", err)
	}
	// The header stays the admin's own (their name, their profile, their sign-out): only the
	// page's content is the member's.
	back := "/console/" + consoleOrg(c).Slug + "/members/" + m.ID
	p := branded(h.page(c, dashboardData{Orgs: orgs, ViewAs: cmp.Or(m.Name, m.Email), Back: back}), consoleOrg(c))
	p.ConsoleURL = back
	return h.Render.Render(c, fiber.StatusOK, "dashboard", p)
}
