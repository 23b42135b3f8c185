package web

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

// consoleBulk handles POST /console/{slug}/people/bulk: one action on every selected row. Each
// row is its own change, so one refusal (a seat, a permission) does not undo the others; the
// notice says how many worked and the first reason something did not.
func (h handler) consoleBulk(c *fiber.Ctx) error {
	a := consoleWho(c)
	action := c.FormValue("action")
	var sel []string
	c.Context().PostArgs().VisitAll(func(k, v []byte) {
		if string(k) == "sel" {
			sel = append(sel, string(v))
		}
	})
	if len(sel) == 0 {
		return back(c, "", "Select at least one person first.")
	}
	done, skipped := 0, 0
	firstErr := ""
	for _, s := range sel {
		kind, id, _ := strings.Cut(s, ":")
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
		default:
			skipped++
			continue
		}
		if err != nil {
			msg, ok := h.orgErrorText(c, err)
			if !ok {
				return err
			}
			if firstErr == "" {
				firstErr = msg
			}
			skipped++
			continue
		}
		done++
	}
	notice := fmt.Sprintf("Done for %d of %d selected.", done, len(sel))
	if skipped > 0 && firstErr != "" {
		notice += " Not done for the others: " + firstErr
	} else if skipped > 0 {
		notice += fmt.Sprintf(" %d did not fit this action (members versus invitations).", skipped)
	}
	return back(c, "", notice)
}
