package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

// tokenGuessLimit is how many unknown links one IP may try per hour before it must wait.
const tokenGuessLimit = 30

// guardTokens throttles guessing of link tokens: every page reached by a token that answers
// 404 (unknown link) counts against the browser's IP, and past the limit the IP gets a plain
// 429 page for the rest of the hour, known links included. It checks before it counts, so
// links tried all at once can pass the limit by as many; with 32 random bytes a link cannot be
// guessed anyway, and counting first (as sign-in does) would write twice on every page view.
func (h handler) guardTokens(c *fiber.Ctx) error {
	key := "token-ip:" + h.ClientIP(c)
	over, err := h.Throttle.Over(ctx(c), key, tokenGuessLimit, time.Hour)
	if err != nil {
		return err
	}
	if over {
		tokenPage(c)
		return h.message(c, fiber.StatusTooManyRequests, "Too many wrong links",
			"This browser tried many links that don't exist. Wait an hour, then open the link from your email again.", nil)
	}
	if err := c.Next(); err != nil {
		return err
	}
	if c.Response().StatusCode() == fiber.StatusNotFound {
		_, err = h.Throttle.Hit(ctx(c), key, tokenGuessLimit, time.Hour)
	}
	return err
}

// linkProblem is whether err says a link cannot be used (unknown, used up or expired), as
// opposed to a problem with what the form sent.
func linkProblem(err error) bool {
	e, ok := org.AsError(err)
	return ok && (e.Code == org.CodeNotFound || e.Code == org.CodeInviteExpired)
}

// linkStatus is 404 for a link that never existed (so guessing counts) and 410 for one that
// existed but can no longer be used.
func linkStatus(err error) int {
	if e, ok := org.AsError(err); ok && e.Code == org.CodeNotFound {
		return fiber.StatusNotFound
	}
	return fiber.StatusGone
}
