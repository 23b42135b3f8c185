package api

import "github.com/gofiber/fiber/v2"

// listTokens handles GET /api/v1/tokens?limit=&cursor=: the organization's API and SCIM
// tokens, newest first, with when each was last used; revoked ones too, as the console lists
// them. The cursor is the id of the last token.
func (h handler) listTokens(c *fiber.Ctx) error {
	p, err := page(c)
	if err != nil {
		return h.fail(c, err)
	}
	tokens, err := h.Org.ListTokens(c.UserContext(), actor(c))
	if err != nil {
		return h.fail(c, err)
	}
	now := h.Org.Now().UnixMilli()
	items := make([]tokenJSON, len(tokens))
	for i, t := range tokens {
		items[i] = toTokenJSON(t, now)
	}
	l, err := wholePage(items, p, func(t tokenJSON) string { return t.ID })
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(l)
}
