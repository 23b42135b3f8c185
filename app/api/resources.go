package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

// resourceJSON is a resource (a link members get through their teams or directly) as the API
// shows it. Teams are named, as a member's and an invitation's are.
type resourceJSON struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	URL         string   `json:"url"`
	Description string   `json:"description"`
	Teams       []string `json:"teams"`
	CreatedAt   string   `json:"created_at"`
}

// resources reads the organization's resources, by name, with the names of the teams that
// grant each.
func (h handler) resources(c *fiber.Ctx) ([]resourceJSON, error) {
	views, err := h.Org.Resources(c.UserContext(), actor(c))
	if err != nil {
		return nil, err
	}
	out := make([]resourceJSON, len(views))
	for i, v := range views {
		out[i] = resourceJSON{ID: v.ID, Name: v.Name, URL: v.URL, Description: v.Description, Teams: append([]string{}, v.TeamNames...),
			CreatedAt: rfc3339(v.CreatedAt)}
	}
	return out, nil
}

// resource reads one resource of the organization, as resources shows it.
func (h handler) resource(c *fiber.Ctx, id string) (resourceJSON, error) {
	all, err := h.resources(c)
	if err != nil {
		return resourceJSON{}, err
	}
	for _, r := range all {
		if r.ID == id {
			return r, nil
		}
	}
	return resourceJSON{}, &org.Error{Code: org.CodeNotFound, Message: "resource was not found"}
}
