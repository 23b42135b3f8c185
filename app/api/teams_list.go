package api

import (
	"encoding/base64"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// listTeams handles GET /api/v1/teams?limit=&cursor=: teams by name. The cursor carries the
// name of the last team of the page (base64url, so a name like "R&D" survives a naively built
// URL); it is opaque to clients like every other cursor.
func (h handler) listTeams(c *fiber.Ctx) error {
	p, err := page(c)
	if err != nil {
		return h.fail(c, err)
	}
	if p.Cursor != "" {
		key, err := base64.RawURLEncoding.DecodeString(p.Cursor)
		if err != nil || len(key) == 0 {
			return h.fail(c, &org.Error{Code: org.CodeInvalid, Field: "cursor", Message: "cursor must be the next_cursor of the previous page"})
		}
		p.Cursor = string(key)
	}
	teams, err := h.Org.TeamsPage(c.UserContext(), actor(c), p)
	if err != nil {
		return h.fail(c, err)
	}
	items := make([]teamJSON, len(teams))
	for i, t := range teams {
		items[i] = toTeamJSON(t)
	}
	return c.JSON(newList(items, p, teamCursor))
}

// teamCursor is the cursor that continues after t.
func teamCursor(t teamJSON) string {
	return base64.RawURLEncoding.EncodeToString([]byte(store.TeamKey(t.Name)))
}
