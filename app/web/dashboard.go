package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

type dashboardData struct {
	Orgs []org.DashboardOrg
	// Waiting are the organizations the person asked to join, where no admin has decided yet.
	Waiting []store.Org
	// ViewAs names the member an admin is looking at through "View as", and Back is that
	// member's console page; both empty on a person's own dashboard.
	ViewAs, Back string
	// Ready is the organization the person just set up (`?ready=slug` after setup), whose
	// notice leads to its invite page; nil otherwise.
	Ready *store.Org
}

// dashboard handles GET /: the person's organizations, role, teams and resources, and the
// organizations they asked to join.
func (h handler) dashboard(c *fiber.Ctx) error {
	u := user(c)
	orgs, err := h.Org.Dashboard(ctx(c), u.ID)
	if err != nil {
		return err
	}
	waiting, err := h.Org.WaitingJoinRequests(ctx(c), *u)
	if err != nil {
		return err
	}
	d := dashboardData{Orgs: orgs, Waiting: waiting}
	// The welcome names an organization from the link only when the person is in it: a link
	// cannot make the page say they joined anything else.
	member := func(name string) bool {
		for _, o := range orgs {
			if o.Org.Name == name {
				return true
			}
		}
		return false
	}
	// After setup the owner is told where to go next, if they may invite there.
	for _, o := range orgs {
		if o.Org.Slug == c.Query("ready") && org.Has(o.Role, org.PermInvite) {
			d.Ready = &o.Org
		}
	}
	p := h.page(c, d)
	switch {
	case d.Ready != nil: // the notice is the page's own, with its link
	case member(c.Query("joined")):
		p.Notice = "Welcome to " + c.Query("joined") + "! You're in."
	case member(c.Query("already")):
		p.Notice = "You were already a member of " + c.Query("already") + ", so nothing changed."
	default:
		p.Notice = savedNotice(c.Query("saved"))
	}
	if len(orgs) == 1 {
		p = branded(p, orgs[0].Org)
	}
	return h.Render.Render(c, fiber.StatusOK, "dashboard", p)
}
