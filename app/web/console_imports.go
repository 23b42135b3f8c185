package web

import (
	"bytes"
	"cmp"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/csvin"
	"github.com/lobby/lobby/app/download"
	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// commitWait is how long a commit keeps the page waiting before it goes on in the background
// and the page shows its progress instead.
const commitWait = 5 * time.Second

type importsView struct {
	Imports []org.Import
	Next    string
}

type importView struct {
	Im        org.Import
	Rows      []org.ImportRow
	Outcomes  []outcomeCount
	Filter    string
	Labels    map[string]string
	MoreAfter int // line to continue after, when there are more rows
	Running   bool
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

// consoleImports handles GET /console/{slug}/imports: the upload form and the history.
func (h handler) consoleImports(c *fiber.Ctx) error {
	p := store.Page{Limit: 50, Cursor: c.Query("cursor"), Peek: true}
	list, err := h.Org.ListImports(ctx(c), consoleWho(c), p)
	if err != nil {
		return h.consoleFail(c, "", err)
	}
	list, more := peekedPage(list, p)
	v := importsView{Imports: list}
	if more {
		v.Next = "/console/" + consoleOrg(c).Slug + "/imports?cursor=" + list[len(list)-1].ID
	}
	return h.console(c, fiber.StatusOK, "imports", "imports", v, "")
}

// consoleImportTemplate handles GET /console/{slug}/imports/template.csv.
func (h handler) consoleImportTemplate(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="lobby-invitations-template.csv"`)
	return c.Send(csvin.Template())
}

// consoleImportUpload handles POST /console/{slug}/imports: a CSV file (or pasted CSV text) →
// the preview. Nothing is created until the admin confirms.
func (h handler) consoleImportUpload(c *fiber.Ctx) error {
	opt := org.ImportOptions{ResendExisting: c.FormValue("resend_existing") == "on", CreateTeams: c.FormValue("create_teams") == "on",
		Limits: csvin.Limits{MaxRows: h.ImportMaxRows, MaxBytes: h.ImportMaxBytes}}
	var body []byte
	if fh, err := c.FormFile("file"); err == nil && fh.Size > 0 {
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		opt.Filename = fh.Filename
		pv, err := h.Org.PreviewImport(ctx(c), consoleWho(c), f, opt)
		if err != nil {
			return h.consoleFail(c, "/imports", err)
		}
		return back(c, "/imports/"+pv.Import.ID, "Here is what the file would do. Nothing has been sent yet.")
	}
	body = []byte(c.FormValue("text"))
	if len(bytes.TrimSpace(body)) == 0 {
		return backError(c, "/imports", "Choose a CSV file, or paste the rows with their header line.")
	}
	opt.Filename = "pasted text"
	pv, err := h.Org.PreviewImport(ctx(c), consoleWho(c), bytes.NewReader(body), opt)
	if err != nil {
		return h.consoleFail(c, "/imports", err)
	}
	return back(c, "/imports/"+pv.Import.ID, "Here is what the rows would do. Nothing has been sent yet.")
}

// consoleImport handles GET /console/{slug}/imports/{id}: counts, progress and the rows.
func (h handler) consoleImport(c *fiber.Ctx) error {
	a, id := consoleWho(c), c.Params("id")
	im, err := h.Org.Import(ctx(c), a, id)
	if err != nil {
		return h.consoleFail(c, "/imports", err)
	}
	v := importView{Im: im, Filter: c.Query("outcome"), Labels: map[string]string{},
		Running: im.Status == org.ImportStatusCommitting || im.Status == org.ImportStatusReading}
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

// consoleImportAct handles POST /console/{slug}/imports/{id}/{commit|send|cancel}.
func (h handler) consoleImportAct(c *fiber.Ctx) error {
	a, id := consoleWho(c), c.Params("id")
	path := "/imports/" + id
	switch c.Params("action") {
	case "commit":
		notify := c.FormValue("notify") == "on"
		im, done, err := h.Org.CommitImportWithin(ctx(c), a, id, org.CommitOptions{Notify: notify}, commitWait)
		if err != nil {
			return h.consoleFail(c, path, err)
		}
		if !done {
			return back(c, path, "Working on it; this page shows the progress. You can leave and come back.")
		}
		msg := strconv.Itoa(im.Summary.Outcomes[org.OutcomeInvited]+im.Summary.Outcomes[org.OutcomeResent]) + " invitations created"
		if notify {
			msg += "; their emails are on the way."
		} else {
			msg += ". Send them when you are ready."
		}
		return back(c, path, msg)
	case "send":
		n, err := h.Org.SendImport(ctx(c), a, id)
		if err != nil {
			return h.consoleFail(c, path, err)
		}
		return back(c, path, strconv.Itoa(n)+" invitation emails are on the way.")
	case "cancel":
		if _, err := h.Org.CancelImport(ctx(c), a, id); err != nil {
			return h.consoleFail(c, path, err)
		}
		return back(c, "/imports", "Cancelled. Nothing from that file was created.")
	}
	return fiber.ErrNotFound
}

// consoleImportReport handles GET /console/{slug}/imports/{id}/report.csv: every row and what
// happened to it.
func (h handler) consoleImportReport(c *fiber.Ctx) error {
	e, err := h.Org.ImportReport(ctx(c), consoleWho(c), c.Params("id"))
	if err != nil {
		return h.consoleFail(c, "/imports", err)
	}
	return download.CSV(c, e, h.Log)
}
