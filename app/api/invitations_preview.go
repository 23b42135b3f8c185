package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

// invitePreviewJSON is the answer to POST /api/v1/invitations with "dry_run": true.
type invitePreviewJSON struct {
	DryRun   bool             `json:"dry_run"`
	Outcomes []outcomeJSON    `json:"outcomes"`
	Counts   map[string]int64 `json:"counts"`
}

// outcomeJSON says what would happen to one address: outcome "new" (it would be invited), or
// the code of why not (already_invited, already_member, member_deactivated,
// seat_limit_reached, invalid_email, duplicate, …) with a message.
type outcomeJSON struct {
	Email   string `json:"email"`
	Name    string `json:"name,omitempty"`
	Outcome string `json:"outcome"`
	Message string `json:"message,omitempty"`
}

// previewInvitations answers 200 with the outcome of each address of a dry run (org ran the
// invitation in a transaction it rolled back: nothing was created or sent), as the console's
// preview shows them, and how many addresses have each outcome.
func previewInvitations(c *fiber.Ctx, res org.InviteResult) error {
	out := invitePreviewJSON{DryRun: true, Outcomes: []outcomeJSON{}, Counts: map[string]int64{}}
	for _, inv := range res.Created {
		o := outcomeJSON{Email: inv.Invitation.Email, Name: inv.Invitation.Name, Outcome: "new"}
		if inv.Existing {
			o.Outcome, o.Message = org.CodeAlreadyInvited, "already has a pending invitation; it is left as it is"
		}
		out.Outcomes = append(out.Outcomes, o)
	}
	for _, e := range res.Errors {
		out.Outcomes = append(out.Outcomes, outcomeJSON{Email: e.Email, Outcome: e.Code, Message: e.Message})
	}
	for _, o := range out.Outcomes {
		out.Counts[o.Outcome]++
	}
	return c.JSON(out)
}
