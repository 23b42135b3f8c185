package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

type memberView struct {
	M     org.MemberView
	Roles []store.Role
	Teams []store.Team
	// Has is every resource the member gets; Direct marks those given to them alone; All is
	// what can be given.
	Has    []store.Resource
	Direct map[string]bool
	All    []org.ResourceView
	// Confirm is what the admin must type to delete; Hands is what deleting hands to them.
	Confirm string
	Hands   string
}

// consoleMember handles GET /console/{slug}/members/{id}.
func (h handler) consoleMember(c *fiber.Ctx) error {
	a := consoleWho(c)
	m, err := h.Org.Member(ctx(c), a, c.Params("id"))
	if err != nil {
		return h.consoleFail(c, "", err)
	}
	v := memberView{M: m, Confirm: m.Email}
	if v.Roles, err = h.Org.ListRoles(ctx(c), a); err != nil {
		return err
	}
	if v.Teams, err = h.Org.ListTeams(ctx(c), a); err != nil {
		return err
	}
	if v.Has, v.Direct, err = h.Org.MemberResources(ctx(c), a, m.ID); err != nil {
		return err
	}
	if v.All, err = h.Org.Resources(ctx(c), a); err != nil {
		return err
	}
	if a.Can(org.PermMembersManage) {
		d, err := h.Org.DeleteImpact(ctx(c), a, m.ID)
		if err != nil {
			return err
		}
		v.Hands = handedOver(d, "own")
	}
	return h.console(c, fiber.StatusOK, "member", "people", v, "")
}

// consoleMemberAct handles POST /console/{slug}/members/{id}/{update|deactivate|reactivate|delete}.
func (h handler) consoleMemberAct(c *fiber.Ctx) error {
	a, id := consoleWho(c), c.Params("id")
	path := "/members/" + id
	var err error
	notice := "Saved."
	switch c.Params("action") {
	case "update":
		role, teams := c.FormValue("role"), formList(c, "teams")
		_, err = h.Org.UpdateMember(ctx(c), a, id, org.MemberEdit{Role: &role, Teams: &teams})
	case "deactivate", "reactivate":
		status := map[string]string{"deactivate": "deactivated", "reactivate": "active"}[c.Params("action")]
		_, err = h.Org.UpdateMember(ctx(c), a, id, org.MemberEdit{Status: &status})
		notice = map[string]string{"deactivated": "Deactivated. Their seat is free and they can no longer use " + consoleOrg(c).Name + ".",
			"active": "Reactivated."}[status]
	case "delete":
		m, gerr := h.Org.Member(ctx(c), a, id)
		if gerr != nil {
			return h.consoleFail(c, "", gerr)
		}
		if c.FormValue("confirm") != m.Email {
			return backError(c, path, "To delete, type their email address exactly.")
		}
		d, derr := h.Org.DeleteMember(ctx(c), a, id)
		if derr != nil {
			return h.consoleFail(c, path, derr)
		}
		notice := m.Email + " was removed."
		if what := handedOver(d, "owned"); what != "" {
			notice += " " + what + " are now yours."
		}
		return back(c, "", notice)
	default:
		return fiber.ErrNotFound
	}
	if err != nil {
		return h.consoleFail(c, path, err)
	}
	return back(c, path, notice)
}

// handedOver names what deleting a member hands to the admin, "The 2 invitations they sent
// and the team they own", or "" when it is nothing; own is "own" or "owned".
func handedOver(d org.Deleted, own string) string {
	var parts []string
	switch d.Invitations {
	case 0:
	case 1:
		parts = append(parts, "the invitation they sent")
	default:
		parts = append(parts, "the "+count(d.Invitations)+" invitations they sent")
	}
	switch d.Teams {
	case 0:
	case 1:
		parts = append(parts, "the team they "+own)
	default:
		parts = append(parts, "the "+count(d.Teams)+" teams they "+own)
	}
	s := strings.Join(parts, " and ")
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
