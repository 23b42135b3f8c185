package web

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

// bulkConfirmView is the question asked before a bulk action that cannot be undone in one
// click (resend, revoke, deactivate); its form posts the same selection again, confirmed.
type bulkConfirmView struct {
	Question, Warning, Button string
	Names                     []string // who it applies to
	Misfit                    string   // who it leaves alone, and why
	Action, Role, Team        string
	Sel                       []string
}

// consoleBulk handles POST /console/{slug}/people/bulk: one action on every selected row.
// Resend, revoke and deactivate first answer with a page that asks (it works without a
// script); its Confirm posts again with confirmed=1. Each row is its own change, so one
// refusal (a seat, a permission) does not undo the others; the notice says what was done and
// names who was left alone, and why.
func (h handler) consoleBulk(c *fiber.Ctx) error {
	a := consoleWho(c)
	var sel []string
	c.Context().PostArgs().VisitAll(func(k, v []byte) {
		if string(k) == "sel" {
			sel = append(sel, string(v))
		}
	})
	if len(sel) == 0 {
		return backError(c, "", "Select at least one person first.")
	}
	name := c.FormValue("action")
	act, ok := bulkActions[name]
	if !ok {
		return backError(c, "", "Choose an action for the selected people first. Nothing was changed.")
	}
	var fits []string
	var misfits []string // names
	gone := 0            // rows deleted since the page was shown, or never there
	for _, s := range sel {
		kind, id, _ := strings.Cut(s, ":")
		switch {
		case kind != "member" && kind != "invitation":
			gone++
		case act.on == "" || kind == act.on:
			fits = append(fits, s)
		default:
			if n := h.bulkName(c, kind, id); n == goneRow {
				gone++
			} else {
				misfits = append(misfits, n)
			}
		}
	}
	if act.ask != "" && c.FormValue("confirmed") != "1" && len(fits) > 0 {
		v := bulkConfirmView{Question: fmt.Sprintf(act.ask, act.count(len(fits))),
			Warning: strings.ReplaceAll(act.warn, "{org}", consoleOrg(c).Name),
			Button:  fmt.Sprintf(act.button, act.count(len(fits))), Misfit: act.misfit(misfits),
			Action: name, Role: c.FormValue("role"), Team: c.FormValue("team"), Sel: sel}
		for _, s := range fits {
			kind, id, _ := strings.Cut(s, ":")
			v.Names = append(v.Names, h.bulkName(c, kind, id))
		}
		return h.console(c, fiber.StatusOK, "bulk_confirm", "people", v, "")
	}
	done := 0
	var order []string               // refusal messages, in the order first met
	refused := map[string][]string{} // message → names
	for _, s := range fits {
		kind, id, _ := strings.Cut(s, ":")
		err := h.bulkOne(c, a, name, kind, id)
		if err == nil {
			done++
			continue
		}
		msg, ok := h.orgErrorText(c, err)
		if !ok {
			return err
		}
		if refused[msg] == nil {
			order = append(order, msg)
		}
		refused[msg] = append(refused[msg], h.bulkName(c, kind, id))
	}
	var reasons []string
	for _, msg := range order {
		reasons = append(reasons, nameList(refused[msg])+": "+msg)
	}
	if m := act.misfit(misfits); m != "" {
		reasons = append(reasons, m)
	}
	if gone > 0 {
		reasons = append(reasons, counted(gone, "selected row is", "selected rows are")+" no longer there.")
	}
	return back(c, "", act.result(done, reasons))
}

// bulkOne applies a bulk action to one row the action fits.
func (h handler) bulkOne(c *fiber.Ctx, a org.Actor, action, kind, id string) error {
	var err error
	switch {
	case kind == "invitation" && action == "resend":
		_, err = h.Org.Resend(ctx(c), a, id, true)
	case kind == "invitation" && action == "revoke":
		_, err = h.Org.Revoke(ctx(c), a, id)
	case kind == "invitation" && action == "role":
		role := c.FormValue("role")
		_, err = h.Org.EditInvitation(ctx(c), a, id, org.InvitationEdit{Role: &role})
	case kind == "member" && (action == "deactivate" || action == "reactivate"):
		status := map[string]string{"deactivate": "deactivated", "reactivate": "active"}[action]
		_, err = h.Org.UpdateMember(ctx(c), a, id, org.MemberEdit{Status: &status})
	case kind == "member" && action == "role":
		role := c.FormValue("role")
		_, err = h.Org.UpdateMember(ctx(c), a, id, org.MemberEdit{Role: &role})
	case kind == "member" && action == "team":
		err = h.Org.SetTeamMember(ctx(c), a, c.FormValue("team"), id, true)
	default: // bulkActions' "on" keeps other pairs away
		err = fmt.Errorf("the bulk action %q does not apply to a %s", action, kind)
	}
	return err
}

// bulkName is how a notice names a selected row: the person's name, else their address.
func (h handler) bulkName(c *fiber.Ctx, kind, id string) string {
	a := consoleWho(c)
	if kind == "member" {
		if m, err := h.Org.Member(ctx(c), a, id); err == nil {
			return cmp.Or(m.Name, m.Email)
		}
	} else if inv, err := h.Org.Invitation(ctx(c), a, id); err == nil {
		return cmp.Or(inv.Name, inv.Email)
	}
	return goneRow
}

// goneRow is how a notice names a selected row that no longer exists.
const goneRow = "a row that is no longer there"
