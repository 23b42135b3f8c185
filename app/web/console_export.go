package web

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// consoleExport handles GET /console/{slug}/export/members.csv and /export/invitations.csv:
// everyone the People page's filters show of that kind, as a spreadsheet-safe CSV file.
func (h handler) consoleExport(c *fiber.Ctx) error {
	a, q := consoleWho(c), c.Queries()
	var e org.Export
	var err error
	switch c.Params("what") {
	case "members.csv":
		e, err = h.Org.ExportMembers(ctx(c), a, store.MemberFilter{Status: q["status"], TeamID: q["team"], RoleKey: q["role"], Query: q["q"]})
	case "invitations.csv":
		e, err = h.Org.ExportInvitations(ctx(c), a, store.InvitationFilter{Status: q["status"], Query: q["q"]})
	default:
		return fiber.ErrNotFound
	}
	if err != nil {
		return h.consoleFail(c, "", err)
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+e.Filename+`"`)
	return e.Write(ctx(c), c)
}

// exportLinks are the People page's two downloads with its filters: a status of the other
// kind is left out (members are active or deactivated; the rest are invitations' statuses,
// but for "delivery failed", which the invitations export cannot filter on).
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
	switch v.Status {
	case "", "failed":
	case "active", "deactivated":
		m.Set("status", v.Status)
	default:
		i.Set("status", v.Status)
	}
	return base + "/export/members.csv?" + m.Encode(), base + "/export/invitations.csv?" + i.Encode()
}
