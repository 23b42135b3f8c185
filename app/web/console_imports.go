package web

import (
	"bytes"
	"cmp"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/csvin"
	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

type importsView struct {
	Imports []org.Import
	Next    string
	// Stopped holds the ids of imports shown as stopped (org.Import.Stopped).
	Stopped map[string]bool
}

// consoleImports handles GET /console/{slug}/imports: the upload form and the history.
func (h handler) consoleImports(c *fiber.Ctx) error {
	p := store.Page{Limit: 50, Cursor: c.Query("cursor"), Peek: true}
	list, err := h.Org.ListImports(ctx(c), consoleWho(c), p)
	if err != nil {
		return h.consoleFail(c, "", err)
	}
	list, more := peekedPage(list, p)
	v := importsView{Imports: list, Stopped: map[string]bool{}}
	for _, im := range list {
		v.Stopped[im.ID] = im.Stopped(h.Org.Now())
	}
	if more {
		v.Next = "/console/" + consoleOrg(c).Slug + "/imports?cursor=" + list[len(list)-1].ID
	}
	problem := ""
	if c.Query("too_large") == "1" { // the server turned an upload away for its size
		msg := (&csvin.LimitError{What: csvin.LimitBytes, Limit: cmp.Or(h.ImportMaxBytes, csvin.DefaultMaxBytes)}).Error()
		problem = strings.ToUpper(msg[:1]) + msg[1:] + "."
	}
	return h.console(c, fiber.StatusOK, "imports", "imports", v, problem)
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
