package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// personJSON is one row of the People list: a member (kind member, with source) or an open
// invitation (kind invitation, with delivery_status and expires_at). created_at is when the
// member joined or the invitation was made.
type personJSON struct {
	Kind           string  `json:"kind"`
	ID             string  `json:"id"`
	Email          string  `json:"email"`
	Name           string  `json:"name"`
	Role           string  `json:"role"`
	Status         string  `json:"status"`
	Source         string  `json:"source,omitempty"`
	DeliveryStatus string  `json:"delivery_status,omitempty"`
	ExpiresAt      *string `json:"expires_at"`
	CreatedAt      string  `json:"created_at"`
}

func toPersonJSON(p store.Person) personJSON {
	out := personJSON{Kind: p.Kind, ID: p.ID, Email: p.Email, Name: p.Name, Role: p.RoleKey, Status: p.Status, Source: p.Source,
		DeliveryStatus: p.DeliveryStatus, CreatedAt: rfc3339(p.CreatedAt)}
	if p.Kind == "invitation" {
		out.ExpiresAt = optTime(&p.ExpiresAt)
	}
	return out
}

// listPeople handles GET /api/v1/people?status=&role=&team=&q=&sort=&limit=&cursor=: members
// and open invitations in one list, newest first (sort=oldest for oldest first), with the
// console's People filters.
func (h handler) listPeople(c *fiber.Ctx) error {
	p, err := idPage(c)
	if err != nil {
		return h.fail(c, err)
	}
	var oldest bool
	switch c.Query("sort") {
	case "", "newest":
	case "oldest":
		oldest = true
	default:
		return h.fail(c, &org.Error{Code: org.CodeInvalid, Field: "sort", Message: "sort must be newest or oldest"})
	}
	people, err := h.Org.People(c.UserContext(), actor(c), store.PeopleFilter{Status: c.Query("status"), RoleKey: c.Query("role"),
		TeamID: c.Query("team"), Query: c.Query("q"), Oldest: oldest, Page: p})
	if err != nil {
		return h.fail(c, err)
	}
	items := make([]personJSON, len(people))
	for i, x := range people {
		items[i] = toPersonJSON(x)
	}
	return c.JSON(newList(items, p, func(x personJSON) string { return x.ID }))
}
