package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/auth/token"
)

// inviteAsk handles POST /invite/{token}/ask: someone with an expired or withdrawn link asks
// the inviter for a new one. At most once a day per link and a few times an hour per IP.
func (h handler) inviteAsk(c *fiber.Ctx) error {
	tokenPage(c)
	plain := c.Params("token")
	// The pages below are in the organization's colours, like the invitation page before them.
	// The link is expired or withdrawn here, so opening it records nothing.
	opened, _ := h.Org.OpenInvitation(ctx(c), plain)
	overIP, err := h.Throttle.Hit(ctx(c), "ask-ip:"+h.ClientIP(c), 10, time.Hour)
	if err != nil {
		return err
	}
	overLink, err := h.Throttle.Hit(ctx(c), "ask-link:"+token.Hash(plain), 1, 24*time.Hour)
	if err != nil {
		return err
	}
	if overIP || overLink {
		return h.messageFor(c, opened.Org, fiber.StatusTooManyRequests, "We've already asked",
			"We told the person who invited you recently. Give them a little time to send a new invitation.", nil)
	}
	if err := h.Org.AskResend(ctx(c), plain); err != nil {
		msg, ok := h.orgErrorText(c, err)
		if !ok {
			return err
		}
		return h.messageFor(c, opened.Org, fiber.StatusUnprocessableEntity, "We couldn't ask for you", msg, nil)
	}
	return h.messageFor(c, opened.Org, fiber.StatusOK, "We've asked for a new invitation",
		"The person who invited you has been emailed. When they resend it, the new link will arrive in your inbox.", nil)
}
