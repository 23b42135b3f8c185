package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

type invitationView struct {
	Inv       org.InvitationView
	History   []org.HistoryEvent
	Roles     []store.Role
	Teams     []store.Team
	AcceptURL string // shown once after a resend without email
}

// consoleInvitation handles GET /console/{slug}/invitations/{id}: details, history, actions.
func (h handler) consoleInvitation(c *fiber.Ctx) error {
	a := consoleWho(c)
	inv, err := h.Org.Invitation(ctx(c), a, c.Params("id"))
	if err != nil {
		return h.consoleFail(c, "", err)
	}
	v := invitationView{Inv: inv}
	if v.History, err = h.Org.InvitationHistory(ctx(c), a, inv.ID); err != nil {
		return err
	}
	if v.Roles, err = h.Org.ListRoles(ctx(c), a); err != nil {
		return err
	}
	if v.Teams, err = h.Org.ListTeams(ctx(c), a); err != nil {
		return err
	}
	return h.console(c, fiber.StatusOK, "invitation", "people", v, "")
}

// consoleInvitationAct handles POST /console/{slug}/invitations/{id}/{resend|revoke|edit}.
func (h handler) consoleInvitationAct(c *fiber.Ctx) error {
	a, id := consoleWho(c), c.Params("id")
	path := "/invitations/" + id
	switch c.Params("action") {
	case "resend":
		notify := c.FormValue("notify") != "no"
		r, err := h.Org.Resend(ctx(c), a, id, notify)
		if err != nil {
			return h.consoleFail(c, path, err)
		}
		if !notify {
			// The new link is shown once, here, for the admin to copy.
			return h.consoleInvitationWithLink(c, r)
		}
		if r.Invitation.SendCount <= 1 {
			return back(c, path, "Sent with a new link. Any link copied before no longer works.")
		}
		return back(c, path, "Sent again with a new link. The old link no longer works.")
	case "revoke":
		if _, err := h.Org.Revoke(ctx(c), a, id); err != nil {
			return h.consoleFail(c, path, err)
		}
		return back(c, path, "Revoked. The link no longer works.")
	case "approve", "decline":
		approve := c.Params("action") == "approve"
		if err := h.Org.DecideJoinRequest(ctx(c), a, id, approve); err != nil {
			return h.consoleFail(c, path, err)
		}
		if approve {
			return back(c, "", "Approved. They are a member now and have been told.")
		}
		return back(c, "", "Declined. They have been told.")
	case "edit":
		role := c.FormValue("role")
		teams := formList(c, "teams")
		if _, err := h.Org.EditInvitation(ctx(c), a, id, org.InvitationEdit{Role: &role, Teams: &teams}); err != nil {
			return h.consoleFail(c, path, err)
		}
		return back(c, path, "Saved.")
	}
	return fiber.ErrNotFound
}

func (h handler) consoleInvitationWithLink(c *fiber.Ctx, r org.Resent) error {
	a := consoleWho(c)
	v := invitationView{Inv: r.Invitation, AcceptURL: r.AcceptURL}
	var err error
	if v.History, err = h.Org.InvitationHistory(ctx(c), a, r.Invitation.ID); err != nil {
		return err
	}
	if v.Roles, err = h.Org.ListRoles(ctx(c), a); err != nil {
		return err
	}
	if v.Teams, err = h.Org.ListTeams(ctx(c), a); err != nil {
		return err
	}
	return h.console(c, fiber.StatusOK, "invitation", "people", v, "")
}

// formList reads every value of a repeated form field.
func formList(c *fiber.Ctx, name string) []string {
	out := []string{}
	if mf, err := c.MultipartForm(); err == nil {
		return append(out, mf.Value[name]...)
	}
	c.Context().PostArgs().VisitAll(func(k, v []byte) {
		if string(k) == name && len(v) > 0 {
			out = append(out, string(v))
		}
	})
	return out
}
