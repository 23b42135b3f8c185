package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

type createInvitationsInput struct {
	Emails    []string `json:"emails"`
	Email     string   `json:"email"`
	Name      string   `json:"name"`
	Role      string   `json:"role"`
	Teams     []string `json:"teams"`
	Resources []string `json:"resources"`
	Message   string   `json:"message"`
	Notify    *bool    `json:"notify"`
	// DryRun previews: the answer says per address what would happen, and nothing is created.
	DryRun bool `json:"dry_run"`
}

type refusedJSON struct {
	Email   string `json:"email"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

type createInvitationsOutput struct {
	Created []invitationJSON `json:"created"`
	Errors  []refusedJSON    `json:"errors"`
	Error   *errorDetail     `json:"error,omitempty"`
}

// createInvitations handles POST /api/v1/invitations: 201 when at least one invitation was
// created, 200 when every address already had one, and the first refusal's status when none
// could be invited. The body always reports per address. With dry_run, see previewInvitations.
func (h handler) createInvitations(c *fiber.Ctx) error {
	var in createInvitationsInput
	if err := h.decode(c, &in); err != nil {
		return h.fail(c, err)
	}
	if in.Email != "" {
		in.Emails = append(in.Emails, in.Email)
	}
	notify := in.Notify == nil || *in.Notify
	res, err := h.Org.Invite(c.UserContext(), actor(c), org.InviteRequest{Emails: in.Emails, Name: in.Name, Role: in.Role,
		Teams: in.Teams, Resources: in.Resources, Message: in.Message, Notify: notify, DryRun: in.DryRun})
	if err != nil {
		return h.fail(c, err)
	}
	if in.DryRun {
		return previewInvitations(c, res)
	}
	out := createInvitationsOutput{Created: []invitationJSON{}, Errors: []refusedJSON{}}
	created := false
	for _, inv := range res.Created {
		j := toInvitationJSON(org.InvitationView{Invitation: inv.Invitation, Teams: inv.Teams})
		j.AcceptURL, j.Existing = inv.AcceptURL, inv.Existing
		created = created || !inv.Existing
		out.Created = append(out.Created, j)
	}
	for _, e := range res.Errors {
		out.Errors = append(out.Errors, refusedJSON(e))
	}
	switch {
	case created:
		return c.Status(fiber.StatusCreated).JSON(out)
	case len(out.Created) > 0:
		return c.Status(fiber.StatusOK).JSON(out)
	default:
		first := res.Errors[0]
		out.Error = &errorDetail{Code: first.Code, Message: first.Message}
		return c.Status(statusOf(first.Code)).JSON(out)
	}
}
