package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

// consoleTokenCreate handles POST /console/{slug}/tokens: the token is shown once.
func (h handler) consoleTokenCreate(c *fiber.Ctx) error {
	kind := c.FormValue("kind")
	life := org.DefaultTokenLifetime
	if v := c.FormValue("expires_in"); v != "" {
		var err error
		if life, err = org.ParseTokenLifetime(v); err != nil {
			return h.consoleFail(c, "/settings", err)
		}
	}
	t, err := h.Org.CreateTokenFor(ctx(c), consoleWho(c), kind, c.FormValue("name"), life)
	if err != nil {
		return h.consoleFail(c, "/settings", err)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.renderSettings(c, t.Plain, kind)
}

// consoleTokenRevoke handles POST /console/{slug}/tokens/{id}/revoke.
func (h handler) consoleTokenRevoke(c *fiber.Ctx) error {
	if err := h.Org.RevokeToken(ctx(c), consoleWho(c), c.Params("id")); err != nil {
		return h.consoleFail(c, "/settings", err)
	}
	return back(c, "/settings", "Revoked. The token stopped working at once.")
}
