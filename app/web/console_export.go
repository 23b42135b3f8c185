package web

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/download"
	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// consoleExport handles GET /console/{slug}/export/members.csv and /export/invitations.csv:
// everyone the People page's filters show of that kind, as a spreadsheet-safe CSV file.
func (h handler) consoleExport(c *fiber.Ctx) error {
	a, q := consoleWho(c), download.Queries(c, "status", "team", "role", "q")
	var e org.Export
	var err error
	switch c.Params("what") {
	case "members.csv":
		e, err = h.Org.ExportMembers(ctx(c), a, store.MemberFilter{Status: q[0], TeamID: q[1], RoleKey: q[2], Query: q[3]})
	case "invitations.csv":
		e, err = h.Org.ExportInvitations(ctx(c), a, store.InvitationFilter{Status: q[0], Query: q[3]})
	default:
		return fiber.ErrNotFound
	}
	if err != nil {
		return h.consoleFail(c, "", err)
	}
	return download.CSV(c, e, h.Log)
}

// exportLinks are the People page's downloads with its filters. A status belongs to one kind
// (members are active or deactivated; the rest are invitations' statuses): the other kind's
// link is then empty, as the page shows none of them. "Delivery failed" is an invitation
// status the export cannot filter on; its link has all the invitations.
func exportLinks(base string, v peopleView) (members, invitations string) {
	m, i := url.Values{}, url.Values{}
	set := func(vs url.Values, k, v string) {
		if v != "" {
			vs.Set(k, v)
		}
	}
	set(m, "q", v.Query)
	set(m, "role", v.Role)
	set(m, "team", v.Team)
	set(i, "q", v.Query)
	members, invitations = base+"/export/members.csv?", base+"/export/invitations.csv?"
	switch v.Status {
	case "":
	case "active", "deactivated":
		m.Set("status", v.Status)
		invitations = ""
	case "failed":
		members = ""
	default:
		i.Set("status", v.Status)
		members = ""
	}
	if members != "" {
		members += m.Encode()
	}
	if invitations != "" {
		invitations += i.Encode()
	}
	return members, invitations
}
