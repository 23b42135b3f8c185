package web

import (
	"github.com/gofiber/fiber/v2"
)

// consoleHome handles GET /console: the console of the one organization the person runs, or
// their page, which lists every organization with a console button where they are an admin.
func (h handler) consoleHome(c *fiber.Ctx) error {
	orgs, err := h.Org.Dashboard(ctx(c), user(c).ID)
	if err != nil {
		return err
	}
	var slugs []string
	for _, o := range orgs {
		if o.Admin {
			slugs = append(slugs, o.Org.Slug)
		}
	}
	if len(slugs) == 1 {
		return c.Redirect("/console/"+slugs[0], fiber.StatusSeeOther)
	}
	return c.Redirect("/", fiber.StatusSeeOther)
}
