package api

import "github.com/gofiber/fiber/v2"

// approveJoinRequest handles POST /api/v1/invitations/{id}/approve: a request to join made
// through the join page with approval on becomes a membership, if the limits allow.
func (h handler) approveJoinRequest(c *fiber.Ctx) error { return h.decideJoinRequest(c, true) }

// declineJoinRequest handles POST /api/v1/invitations/{id}/decline.
func (h handler) declineJoinRequest(c *fiber.Ctx) error { return h.decideJoinRequest(c, false) }

func (h handler) decideJoinRequest(c *fiber.Ctx, approve bool) error {
	a, id := actor(c), c.Params("id")
	if err := h.Org.DecideJoinRequest(c.UserContext(), a, id, approve); err != nil {
		return h.fail(c, err)
	}
	v, err := h.Org.Invitation(c.UserContext(), a, id)
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(toInvitationJSON(v))
}
