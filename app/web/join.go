package web

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/address"
	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// joinFloor is the least time a join request takes, so allowed and refused, known and unknown
// addresses answer alike in time.
const joinFloor = 300 * time.Millisecond

type joinView struct {
	Org    store.Org
	Action string
	Email  string
	Error  string
	Sent   bool
}

// joinShow handles GET /join/{slug}: the organization's public join page.
func (h handler) joinShow(c *fiber.Ctx) error {
	o, err := h.Org.JoinPageView(ctx(c), c.Params("slug"))
	if _, known := org.AsError(err); err != nil && !known {
		return err // the server's failure, not the link's: the error page says so
	} else if err != nil {
		return h.joinInactive(c)
	}
	return h.Render.Render(c, fiber.StatusOK, "join", branded(h.page(c, joinView{Org: o, Action: "/join/" + o.JoinSlug}), o))
}

func (h handler) joinInactive(c *fiber.Ctx) error {
	return h.message(c, fiber.StatusNotFound, "This join link is not active",
		"It may have been switched off or replaced. Ask the organization for a new link or an invitation.", nil)
}

// joinSubmit handles POST /join/{slug}. Whitelisted addresses always get "check your inbox";
// the email says what to do next. Throttled per IP, per address and per organization; a
// filled honeypot field gets the same answer and nothing else.
func (h handler) joinSubmit(c *fiber.Ctx) error {
	start := time.Now()
	o, err := h.Org.JoinPage(ctx(c), c.Params("slug"))
	if err != nil {
		return h.joinInactive(c)
	}
	v := joinView{Org: o, Action: "/join/" + o.JoinSlug, Email: c.FormValue("email")}
	wait := func() {
		if d := joinFloor - time.Since(start); d > 0 {
			time.Sleep(d)
		}
	}
	norm, perr := address.Parse(v.Email)
	if perr != nil {
		v.Error = "That email address doesn't look right: it " + addressProblem(perr) + "."
		return h.Render.Render(c, fiber.StatusUnprocessableEntity, "join", branded(h.page(c, v), o))
	}
	for _, lim := range []struct {
		key string
		n   int
		per time.Duration
	}{{"join-ip:" + h.ClientIP(c), 20, time.Hour}, {"join-addr:" + norm, 3, time.Hour}, {"join-org:" + o.ID, 1000, time.Hour}} {
		over, err := h.Throttle.Hit(ctx(c), lim.key, lim.n, lim.per)
		if err != nil {
			return err
		}
		if over {
			wait()
			return h.messageFor(c, o, fiber.StatusTooManyRequests, "Too many requests", "Please wait an hour before trying again.", nil)
		}
	}
	if c.FormValue("website") == "" { // the honeypot, invisible to people
		if err := h.Org.RequestJoin(ctx(c), o.JoinSlug, norm); err != nil {
			// Not on the whitelist (403), or full for everyone alike (409), which says nothing
			// about the address.
			status := map[string]int{org.CodeJoinNotAllowed: fiber.StatusForbidden, org.CodeSeatLimit: fiber.StatusConflict,
				org.CodeJoinLimit: fiber.StatusConflict}
			e, ok := org.AsError(err)
			if !ok || status[e.Code] == 0 {
				return err
			}
			wait()
			v.Error = upperFirst(e.Message) + "."
			return h.Render.Render(c, status[e.Code], "join", branded(h.page(c, v), o))
		}
	}
	wait()
	v.Sent, v.Email = true, norm
	return h.Render.Render(c, fiber.StatusOK, "join", branded(h.page(c, v), o))
}

// addressProblem is what is wrong with a refused address, to follow "it": "contains a space".
func addressProblem(err error) string {
	var ae *address.Error
	if errors.As(err, &ae) {
		return ae.Message
	}
	return "is not an email address"
}
