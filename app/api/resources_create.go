package api

import "github.com/gofiber/fiber/v2"

// createResourceInput names the link "url", as org's errors about it do (field "url") and the
// console's form does.
type createResourceInput struct {
	Name        string   `json:"name"`
	URL         string   `json:"url"`
	Description string   `json:"description"`
	Teams       []string `json:"teams"`
}

// createResource handles POST /api/v1/resources: a link, granted to the teams named (names or
// ids); members of those teams get it at once.
func (h handler) createResource(c *fiber.Ctx) error {
	var in createResourceInput
	if err := h.decode(c, &in); err != nil {
		return h.fail(c, err)
	}
	r, err := h.Org.CreateResource(c.UserContext(), actor(c), in.Name, in.URL, in.Description, in.Teams)
	if err != nil {
		return h.fail(c, err)
	}
	out, err := h.resource(c, r.ID)
	if err != nil {
		return h.fail(c, err)
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}
