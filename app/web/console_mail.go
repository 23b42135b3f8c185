package web

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/mail"
	"github.com/lobby/lobby/app/store"
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
	"join_notice":     "Join: someone joined",
	"welcome":         "Welcome",
	"password_reset":  "Password reset",
	"reset_invite":    "Password reset: invitation waiting",
}

// mailKind is the readable name of an email template; an unknown one is shown as it is.
func mailKind(template string) string { return wordFor(mailKinds, template) }

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
		return h.consoleFail(c, "/mail", err)
	}
	list, more := peekedPage(list, p)
	v.Mails = list
	if more {
		v.Next = "/console/" + consoleOrg(c).Slug + "/mail?" + url.Values{"status": {v.Status}, "cursor": {list[len(list)-1].ID}}.Encode()
	}
	return h.console(c, fiber.StatusOK, "mail", "mail", v, "")
}
