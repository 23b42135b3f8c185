package web

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

// commitWait is how long a commit keeps the page waiting before it goes on in the background
// and the page shows its progress instead.
const commitWait = 5 * time.Second

// consoleImportAct handles POST /console/{slug}/imports/{id}/{commit|send|cancel}.
func (h handler) consoleImportAct(c *fiber.Ctx) error {
	a, id := consoleWho(c), c.Params("id")
	path := "/imports/" + id
	switch c.Params("action") {
	case "commit":
		notify := c.FormValue("notify") == "on"
		im, done, err := h.Org.CommitImportWithin(ctx(c), a, id, org.CommitOptions{Notify: notify}, commitWait)
		if err != nil {
			return h.consoleFail(c, path, err)
		}
		if !done {
			return back(c, path, "Working on it; this page shows the progress. You can leave and come back.")
		}
		msg := strconv.Itoa(im.Summary.Outcomes[org.OutcomeInvited]+im.Summary.Outcomes[org.OutcomeResent]) + " invitations created"
		if notify {
			msg += "; their emails are on the way."
		} else {
			msg += ". Send them when you are ready."
		}
		return back(c, path, msg)
	case "send":
		n, err := h.Org.SendImport(ctx(c), a, id)
		if err != nil {
			return h.consoleFail(c, path, err)
		}
		return back(c, path, strconv.Itoa(n)+" invitation emails are on the way.")
	case "cancel":
		if _, err := h.Org.CancelImport(ctx(c), a, id); err != nil {
			return h.consoleFail(c, path, err)
		}
		return back(c, "/imports", "Cancelled. Nothing from that file was created.")
	}
	return fiber.ErrNotFound
}
