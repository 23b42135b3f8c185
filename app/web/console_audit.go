package web

import (
	"net/url"
	"sort"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/download"
	"github.com/lobby/lobby/app/store"
)

type auditView struct {
	Entries              []auditRow
	Actor, Action, Since string
	Next, CSV            string
	// Actions suggest codes for the "What" filter, groups ("invitation.") first.
	Actions []option
}

// auditRow is an entry as the console shows it: in words, with its code beside.
type auditRow struct {
	CreatedAt    int64
	Who, WhoKind string // WhoKind is empty when it would repeat Who ("command line")
	What, Code   string
	Details      string
}

func newAuditRow(e store.AuditEntry) auditRow {
	r := auditRow{CreatedAt: e.CreatedAt, Who: e.ActorName, WhoKind: actorKind(e.ActorKind), What: auditName(e.Action),
		Code: e.Action, Details: auditDetails(e.Details)}
	if r.Who == "" {
		r.Who, r.WhoKind = r.WhoKind, ""
	} else if r.WhoKind == r.Who {
		r.WhoKind = ""
	}
	return r
}

// auditActions are the filter's suggestions: every group of codes, then every code.
func auditActions() []option {
	var groups, codes []option
	for code, name := range auditGroups {
		groups = append(groups, option{code, "All about " + name})
	}
	for code, name := range auditNames {
		codes = append(codes, option{code, name})
	}
	byValue := func(o []option) { sort.Slice(o, func(i, j int) bool { return o[i].Value < o[j].Value }) }
	byValue(groups)
	byValue(codes)
	return append(groups, codes...)
}

// consoleAudit handles GET /console/{slug}/audit, and ?format=csv for the same filter as a file.
func (h handler) consoleAudit(c *fiber.Ctx) error {
	a := consoleWho(c)
	v := auditView{Actor: c.Query("actor"), Action: c.Query("action"), Since: c.Query("since"), Actions: auditActions()}
	f := store.AuditFilter{Actor: v.Actor, Action: v.Action, Page: store.Page{Limit: 100, Cursor: c.Query("cursor"), Peek: true}}
	if v.Since != "" {
		t, err := time.Parse("2006-01-02", v.Since)
		if err != nil {
			return backError(c, "/audit", "Since: pick the start date from the calendar.")
		}
		f.Since = t.UnixMilli()
	}
	q := url.Values{"actor": {v.Actor}, "action": {v.Action}, "since": {v.Since}}
	if c.Query("format") == "csv" {
		return h.auditCSV(c, f)
	}
	entries, err := h.Org.Audit(ctx(c), a, f)
	if err != nil {
		return h.consoleFail(c, "", err)
	}
	entries, more := peekedPage(entries, f.Page)
	for _, e := range entries {
		v.Entries = append(v.Entries, newAuditRow(e))
	}
	base := "/console/" + consoleOrg(c).Slug + "/audit?"
	if more {
		q2 := url.Values{"actor": {v.Actor}, "action": {v.Action}, "since": {v.Since}, "cursor": {entries[len(entries)-1].ID}}
		v.Next = base + q2.Encode()
	}
	q.Set("format", "csv")
	v.CSV = base + q.Encode()
	return h.console(c, fiber.StatusOK, "audit", "audit", v, "")
}

// auditCSV streams the filtered audit log as CSV while the browser reads it, page by page,
// cells neutralised (org.ExportAudit).
func (h handler) auditCSV(c *fiber.Ctx, f store.AuditFilter) error {
	e, err := h.Org.ExportAudit(ctx(c), consoleWho(c), f)
	if err != nil {
		return h.consoleFail(c, "", err)
	}
	return download.CSV(c, e, h.Log)
}
