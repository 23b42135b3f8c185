package api

import "github.com/gofiber/fiber/v2"

// listMail handles GET /api/v1/mail?status=&limit=&cursor=: the organization's outbox, newest
// first, with the delivery status of every email.
func (h handler) listMail(c *fiber.Ctx) error {
	p, err := idPage(c)
	if err != nil {
		return h.fail(c, err)
	}
	mails, err := h.Org.Outbox(c.UserContext(), actor(c), c.Query("status"), p)
	if err != nil {
		return h.fail(c, err)
	}
	items := make([]mailJSON, len(mails))
	for i, m := range mails {
		items[i] = toMailJSON(m)
	}
	return c.JSON(newList(items, p, func(m mailJSON) string { return m.ID }))
}
