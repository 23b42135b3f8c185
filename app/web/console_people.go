package web

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/store"
)

type option struct{ Value, Label string }

type peopleView struct {
	People                    []store.Person
	Query, Status, Role, Team string
	Statuses                  []option
	Roles                     []store.Role
	Teams                     []store.Team
	Next                      string
	Filtered                  bool
	Sort                      string // "" (newest first) or "oldest"
	// ExportMembers and ExportInvitations download what the filters show, as CSV.
	ExportMembers, ExportInvitations string
}

var peopleStatuses = []option{{"active", "Active"}, {"deactivated", "Deactivated"}, {"pending", "Pending"},
	{"expired", "Expired"}, {"revoked", "Revoked"}, {"failed", "Delivery failed"}, {"requested", "Asked to join"}}

// consolePeople handles GET /console/{slug}: members and invitations in one list.
func (h handler) consolePeople(c *fiber.Ctx) error {
	a := consoleWho(c)
	v := peopleView{Query: c.Query("q"), Status: c.Query("status"), Role: c.Query("role"), Team: c.Query("team"), Statuses: peopleStatuses,
		Sort: c.Query("sort")}
	v.Filtered = v.Query != "" || v.Status != "" || v.Role != "" || v.Team != ""
	p := store.Page{Limit: 50, Cursor: c.Query("cursor"), Peek: true}
	people, err := h.Org.People(ctx(c), a, store.PeopleFilter{Status: v.Status, RoleKey: v.Role, TeamID: v.Team, Query: v.Query,
		Oldest: v.Sort == "oldest", Page: p})
	errMsg := ""
	if err != nil {
		msg, ok := h.orgErrorText(c, err)
		if !ok {
			return err
		}
		errMsg = msg
	}
	people, more := peekedPage(people, p)
	v.People = people
	v.ExportMembers, v.ExportInvitations = exportLinks("/console/"+consoleOrg(c).Slug, v)
	if more {
		q := url.Values{"q": {v.Query}, "status": {v.Status}, "role": {v.Role}, "team": {v.Team}, "sort": {v.Sort},
			"cursor": {people[len(people)-1].ID}}
		v.Next = "/console/" + consoleOrg(c).Slug + "?" + q.Encode()
	}
	if v.Roles, err = h.Org.ListRoles(ctx(c), a); err != nil {
		return err
	}
	if v.Teams, err = h.Org.ListTeams(ctx(c), a); err != nil {
		return err
	}
	return h.console(c, fiber.StatusOK, "people", "people", v, errMsg)
}
