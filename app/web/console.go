package web

import (
	"cmp"
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/jobs"
	"github.com/lobby/lobby/app/mail"
	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/session"
)

// Jobs is what the console shows of the cron jobs.
type Jobs interface {
	Jobs() []jobs.Info
	RunNow(ctx context.Context, name string) (jobs.JobRun, error)
}

// MailPreview renders an outbox row as the person received it.
type MailPreview func(template string, data map[string]any) (mail.Message, error)

// consolePage is what every console template gets inside page.Data.
type consolePage struct {
	Org       store.Org
	Actor     org.Actor
	Section   string
	SeatsUsed int64
	SeatLimit *int64
	SeatsOver bool   // more seats in use than the limit (it was lowered below them)
	Base      string // "/console/{slug}"
	Can       map[string]bool
	Jobs      bool // may see and run the instance's cron jobs (owners only)
	Error     string
	View      any
}

// consoleActor loads the organization and the signed-in person's role in it; people without
// any console permission get a plain 403 page with a link home.
func (h handler) consoleActor(c *fiber.Ctx) error {
	o, err := h.Org.OrgBySlug(ctx(c), c.Params("slug"))
	if err != nil {
		return h.message(c, fiber.StatusNotFound, "No such organization", "There is no organization at this address.",
			map[string]string{"Link": "/", "LinkText": "Go home"})
	}
	a, err := h.Org.ActorFor(ctx(c), *user(c), o.ID, sessionRef(sess(c)))
	if err != nil || !org.IsAdminRole(a.Role) {
		return h.message(c, fiber.StatusForbidden, "This page is for admins",
			"Your role in "+o.Name+" doesn't include the console. Your own page shows everything that is yours.",
			map[string]string{"Link": "/", "LinkText": "Go to your page"})
	}
	c.Locals("org", o)
	c.Locals("actor", a)
	return c.Next()
}

// sessionRef names a session in the audit log without revealing its id.
func sessionRef(s *session.Session) string {
	if s == nil {
		return ""
	}
	return session.Hash(s.ID)[:12]
}

func consoleOrg(c *fiber.Ctx) store.Org { return c.Locals("org").(store.Org) }
func consoleWho(c *fiber.Ctx) org.Actor { return c.Locals("actor").(org.Actor) }

// console renders a console page with the nav, the seats and the permissions.
func (h handler) console(c *fiber.Ctx, status int, tmpl, section string, view any, errMsg string) error {
	o, a := consoleOrg(c), consoleWho(c)
	used, limit, err := h.Org.Seats(ctx(c), o.ID)
	if err != nil {
		return err
	}
	can := map[string]bool{}
	for _, p := range org.Permissions {
		can[string(p)] = a.Can(p)
	}
	notice, alert := signedNotice(c) // what the action before this page did, or what went wrong
	if alert {
		errMsg, notice = cmp.Or(errMsg, notice), ""
	}
	cp := consolePage{Org: o, Actor: a, Section: section, SeatsUsed: used, SeatLimit: limit, Base: "/console/" + o.Slug,
		SeatsOver: limit != nil && used > *limit, Can: can, Jobs: a.MayRunJobs() && h.Jobs != nil, Error: errMsg, View: view}
	p := branded(h.page(c, cp), o)
	p.ConsoleURL, p.Notice = cp.Base, notice
	return h.Render.Render(c, status, "console/"+tmpl, p)
}

// consoleFail re-renders with an org error's message, or fails for anything unexpected.
func (h handler) consoleFail(c *fiber.Ctx, path string, err error) error {
	msg, ok := h.orgErrorText(c, err)
	if !ok {
		return err
	}
	return backError(c, path, msg)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
