package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/address"
	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// maxPaste is the most text the invite box takes; bigger lists go through a CSV import.
const maxPaste = 256 << 10

type inviteFormView struct {
	Text, Role, Message string
	Teams               []string
	Notify              bool
	Roles               []store.Role
	AllTeams            []store.Team
	Resources           []string
	AllResources        []org.ResourceView
	Org                 store.Org
	Preview             []outcome // filled by the preview step
	Result              []outcome // filled after sending
	Counts              map[string]int
	Skipped             int // outcomes that are not a new invitation
}

// outcome is what happens (or happened) to one pasted address.
type outcome struct {
	Email, Name, Code, Message, AcceptURL, ID string
	OK                                        bool
}

// consoleInviteForm handles GET /console/{slug}/invite.
func (h handler) consoleInviteForm(c *fiber.Ctx) error {
	v, err := h.inviteForm(c)
	if err != nil {
		return err
	}
	v.Notify = true
	return h.console(c, fiber.StatusOK, "invite", "people", v, "")
}

func (h handler) inviteForm(c *fiber.Ctx) (inviteFormView, error) {
	a := consoleWho(c)
	o, err := h.Org.Settings(ctx(c), a)
	if err != nil {
		return inviteFormView{}, err
	}
	v := inviteFormView{Role: o.DefaultRole, Org: o, Counts: map[string]int{}}
	if v.Roles, err = h.Org.ListRoles(ctx(c), a); err != nil {
		return v, err
	}
	if v.AllTeams, err = h.Org.ListTeams(ctx(c), a); err != nil {
		return v, err
	}
	v.AllResources, err = h.Org.Resources(ctx(c), a)
	return v, err
}

// consoleInviteSubmit handles POST /console/{slug}/invite. With step=preview nothing is
// created: the same code runs in a transaction that is rolled back, so the preview says
// exactly what sending would do. With step=send the invitations are created.
func (h handler) consoleInviteSubmit(c *fiber.Ctx) error {
	v, err := h.inviteForm(c)
	if err != nil {
		return err
	}
	v.Text, v.Role, v.Message = c.FormValue("emails"), c.FormValue("role"), c.FormValue("message")
	v.Teams, v.Notify, v.Resources = formList(c, "teams"), c.FormValue("notify") == "on", formList(c, "resources")
	if len(v.Text) > maxPaste {
		return h.console(c, fiber.StatusRequestEntityTooLarge, "invite", "people", v, "That is more text than the box takes; use a CSV import for long lists.")
	}
	var emails, names []string
	var invalid []outcome
	for _, cand := range address.SplitList(v.Text) {
		if cand.Err != nil {
			invalid = append(invalid, outcome{Email: cand.Raw, Code: org.CodeInvalidEmail, Message: cand.Err.Error()})
			continue
		}
		emails, names = append(emails, cand.Email), append(names, cand.Name)
	}
	if len(emails) == 0 {
		msg := "Paste at least one email address."
		if len(invalid) > 0 {
			msg = "None of these look like email addresses: " + invalid[0].Email + " " + invalid[0].Message + "."
		}
		return h.console(c, fiber.StatusUnprocessableEntity, "invite", "people", v, msg)
	}
	req := org.InviteRequest{Emails: emails, Names: names, Role: v.Role, Teams: v.Teams, Resources: v.Resources, Message: v.Message,
		Notify: v.Notify, DryRun: c.FormValue("step") != "send"}
	res, err := h.Org.Invite(ctx(c), consoleWho(c), req)
	if err != nil {
		msg, ok := h.orgErrorText(c, err)
		if !ok {
			return err
		}
		return h.console(c, fiber.StatusUnprocessableEntity, "invite", "people", v, msg)
	}
	outcomes := append(invalid, toOutcomes(res)...)
	for _, o := range outcomes {
		v.Counts[o.Code]++
		if !o.OK {
			v.Skipped++
		}
	}
	if req.DryRun {
		v.Preview = outcomes
	} else {
		v.Result = outcomes
	}
	return h.console(c, fiber.StatusOK, "invite", "people", v, "")
}

func toOutcomes(res org.InviteResult) []outcome {
	var out []outcome
	for _, c := range res.Created {
		o := outcome{Email: c.Invitation.Email, Name: c.Invitation.Name, AcceptURL: c.AcceptURL, ID: c.Invitation.ID, OK: !c.Existing, Code: "new"}
		if c.Existing {
			o.Code, o.Message = org.CodeAlreadyInvited, "already has a pending invitation; it is left as it is"
		}
		out = append(out, o)
	}
	for _, e := range res.Errors {
		out = append(out, outcome{Email: e.Email, Code: e.Code, Message: e.Message})
	}
	return out
}
