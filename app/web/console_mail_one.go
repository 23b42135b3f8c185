package web

import (
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/auth/token"
)

// consoleMailOne handles GET /console/{slug}/mail/{id}: the email as it was (or will be) sent.
func (h handler) consoleMailOne(c *fiber.Ctx) error {
	m, err := h.Org.OutboxMail(ctx(c), consoleWho(c), c.Params("id"))
	if err != nil {
		return h.consoleFail(c, "/mail", err)
	}
	v := mailView{One: &m}
	// The preview shows links without their tokens: an admin must not be able to confirm a
	// join or reset a password in someone else's name with a link from their email.
	var data map[string]any
	if json.Unmarshal([]byte(token.Redact(string(m.Data))), &data) == nil && h.MailPreview != nil {
		if msg, err := h.MailPreview(m.Template, data); err == nil {
			v.Preview = &msg
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.console(c, fiber.StatusOK, "mail", "mail", v, "")
}
