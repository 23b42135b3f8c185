package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

type commitImportInput struct {
	Notify *bool `json:"notify"`
}

// commitImport handles POST /api/v1/imports/{id}/commit {"notify":true}: it creates the
// invitations of a preview. A commit that ends within ImportWait answers 200 with the committed
// import; a longer one goes on in the background and answers 202 with its progress, which GET
// /imports/{id} then follows. Committing again resumes a commit that stopped.
func (h handler) commitImport(c *fiber.Ctx) error {
	var in commitImportInput
	if len(c.Body()) > 0 {
		if err := h.decode(c, &in); err != nil {
			return h.fail(c, err)
		}
	}
	wait := h.ImportWait
	if wait <= 0 {
		wait = 20 * time.Second
	}
	// The commit may outlive the request; the id is a copy (Fiber's Immutable).
	im, done, err := h.Org.CommitImportWithin(c.UserContext(), actor(c), c.Params("id"),
		org.CommitOptions{Notify: in.Notify == nil || *in.Notify}, wait)
	if err != nil {
		return h.fail(c, err)
	}
	if !done {
		c.Status(fiber.StatusAccepted)
	}
	return c.JSON(toImportJSON(im))
}
