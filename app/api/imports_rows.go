package api

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

// listImportRows handles GET /api/v1/imports/{id}/rows?outcome=&limit=&cursor=: the per-row
// report in file order. outcome takes one outcome or several separated by commas; the cursor is
// the line of the last row of the previous page.
func (h handler) listImportRows(c *fiber.Ctx) error {
	p, err := page(c)
	if err != nil {
		return h.fail(c, err)
	}
	f := org.ImportRowFilter{Limit: p.Limit, Peek: p.Peek}
	if p.Cursor != "" {
		if f.AfterLine, err = strconv.Atoi(p.Cursor); err != nil || f.AfterLine < 0 {
			return h.fail(c, &org.Error{Code: org.CodeInvalid, Field: "cursor", Message: "cursor must be the next_cursor of the previous page"})
		}
	}
	for _, o := range strings.Split(c.Query("outcome"), ",") {
		if o = strings.TrimSpace(o); o != "" {
			f.Outcomes = append(f.Outcomes, o)
		}
	}
	rows, err := h.Org.ImportRows(c.UserContext(), actor(c), c.Params("id"), f)
	if err != nil {
		return h.fail(c, err)
	}
	items := make([]importRowJSON, len(rows))
	for i, r := range rows {
		items[i] = toImportRowJSON(r)
	}
	return c.JSON(newList(items, p, rowCursor))
}
