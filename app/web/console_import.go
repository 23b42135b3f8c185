package web

import (
	"cmp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

type importView struct {
	Im        org.Import
	Rows      []org.ImportRow
	Outcomes  []outcomeCount
	Filter    string
	Labels    map[string]string
	MoreAfter int // line to continue after, when there are more rows
	// Running: the file is being read or the commit goes on; Stopped: it was, and stopped
	// part-way (org.Import.Stopped), waiting for Continue or Cancel.
	Running, Stopped bool
	// roles names the organization's roles by key; defaultRole is the one rows without a
	// role get.
	roles       map[string]string
	defaultRole string
}

// RoleName is how the report shows a row's role: its name, the organization's default role
// for a row that names none, or the key as written when no role has it.
func (v importView) RoleName(key string) string {
	if key == "" {
		return cmp.Or(v.roles[v.defaultRole], v.defaultRole) + " (default)"
	}
	return cmp.Or(v.roles[strings.ToLower(key)], key)
}

type outcomeCount struct {
	Outcome, Label string
	N              int
}

// consoleImport handles GET /console/{slug}/imports/{id}: counts, progress and the rows.
func (h handler) consoleImport(c *fiber.Ctx) error {
	a, id := consoleWho(c), c.Params("id")
	im, err := h.Org.Import(ctx(c), a, id)
	if err != nil {
		return h.consoleFail(c, "/imports", err)
	}
	stopped := im.Stopped(h.Org.Now())
	v := importView{Im: im, Filter: c.Query("outcome"), Labels: map[string]string{}, Stopped: stopped,
		Running: !stopped && (im.Status == org.ImportStatusCommitting || im.Status == org.ImportStatusReading)}
	for _, o := range org.ImportOutcomes {
		v.Labels[o] = upperFirst(org.OutcomeLabel(o))
		if n := im.Summary.Outcomes[o]; n > 0 {
			v.Outcomes = append(v.Outcomes, outcomeCount{o, org.OutcomeLabel(o), n}) // "2 will invite"
		}
	}
	roles, err := h.Org.ListRoles(ctx(c), a)
	if err != nil {
		return h.consoleFail(c, "/imports", err)
	}
	v.roles, v.defaultRole = map[string]string{}, cmp.Or(consoleOrg(c).DefaultRole, org.RoleMember)
	for _, r := range roles {
		v.roles[r.Key] = r.Name
	}
	f := org.ImportRowFilter{Limit: 200, Peek: true}
	if v.Filter != "" {
		f.Outcomes = []string{v.Filter}
	}
	f.AfterLine, _ = strconv.Atoi(c.Query("after"))
	if v.Rows, err = h.Org.ImportRows(ctx(c), a, id, f); err != nil {
		return h.consoleFail(c, "/imports", err)
	}
	var more bool
	if v.Rows, more = peekedPage(v.Rows, store.Page{Limit: f.Limit}); more {
		v.MoreAfter = v.Rows[len(v.Rows)-1].Line
	}
	if v.Running {
		c.Set("Refresh", "2") // the page follows the progress by itself
	}
	return h.console(c, fiber.StatusOK, "import", "imports", v, "")
}
