package web

import (
	"encoding/json"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/mail"
	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/token"
)

// mailKinds name each email template (public/templates/mail) as the Mail screen lists it; a
// test checks every template has a name here.
var mailKinds = map[string]string{
	"invite":          "Invitation",
	"remind":          "Reminder",
	"accepted_notice": "Invitation accepted",
	"expired_notice":  "Invitations expired",
	"resend_request":  "New invitation asked for",
	"join_confirm":    "Join: confirm the address",
	"join_member":     "Join: already a member",
	"join_decided":    "Join: request answered",
	"join_request":    "Join: request to decide",
	"welcome":         "Welcome",
	"password_reset":  "Password reset",
	"reset_invite":    "Password reset: invitation waiting",
}

// mailKind is the readable name of an email template; an unknown one is shown as it is.
func mailKind(template string) string {
	if n, ok := mailKinds[template]; ok {
		return n
	}
	return template
}

type mailView struct {
	Mails   []store.OutboxMail
	Status  string
	Next    string
	One     *store.OutboxMail
	Preview *mail.Message
}

// consoleMail handles GET /console/{slug}/mail: the outbox with the status of every email.
func (h handler) consoleMail(c *fiber.Ctx) error {
	v := mailView{Status: c.Query("status")}
	p := store.Page{Limit: 50, Cursor: c.Query("cursor"), Peek: true}
	list, err := h.Org.Outbox(ctx(c), consoleWho(c), v.Status, p)
	if err != nil {
		return h.consoleFail(c, "", err)
	}
	list, more := peekedPage(list, p)
	v.Mails = list
	if more {
		v.Next = "/console/" + consoleOrg(c).Slug + "/mail?" + url.Values{"status": {v.Status}, "cursor": {list[len(list)-1].ID}}.Encode()
	}
	return h.console(c, fiber.StatusOK, "mail", "mail", v, "")
}

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

// consoleMailRetry handles POST /console/{slug}/mail/{id}/retry.
func (h handler) consoleMailRetry(c *fiber.Ctx) error {
	if err := h.Org.RetryMail(ctx(c), consoleWho(c), c.Params("id")); err != nil {
		return h.consoleFail(c, "/mail", err)
	}
	return back(c, "/mail", "Queued again; it goes out in a moment.")
}
