package api

import "github.com/gofiber/fiber/v2"

type resendInput struct {
	Notify *bool `json:"notify"`
}

// resendInvitation handles POST /api/v1/invitations/{id}/resend: a new link (the old one stops
// working), a fresh expiry, and the email again unless notify is false.
func (h handler) resendInvitation(c *fiber.Ctx) error {
	var in resendInput
	if len(c.Body()) > 0 {
		if err := h.decode(c, &in); err != nil {
			return h.fail(c, err)
		}
	}
	notify := in.Notify == nil || *in.Notify
	r, err := h.Org.Resend(c.UserContext(), actor(c), c.Params("id"), notify)
	if err != nil {
		return h.fail(c, err)
	}
	j := toInvitationJSON(r.Invitation)
	j.AcceptURL = r.AcceptURL
	return c.JSON(j)
}
