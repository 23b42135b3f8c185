// Package download sends org's CSV exports as file downloads over Fiber, for the API and the
// console alike: headers first, then the rows page by page as the client reads them; and the
// import template.
package download

import (
	"bufio"
	"context"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/csvin"
	"github.com/lobby/lobby/app/org"
)

// CSV streams e as the answer, never cached (exports hold personal data). An error part-way
// can only be logged; the file then ends early. Whatever e reads from the request must have
// been copied out of it (Queries), since the rows are written after the handler returns.
func CSV(c *fiber.Ctx, e org.Export, log *slog.Logger) error {
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+e.Filename+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx := context.WithoutCancel(c.UserContext())
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		if err := e.Write(ctx, w); err != nil {
			log.Error("A CSV export stopped part-way.", "file", e.Filename, "err", err)
		}
	})
	return nil
}

// Queries reads query parameters in order. Exports go on reading their filter while they
// stream, after the handler returned: that is safe because Lobby runs Fiber with Immutable,
// so these are copies, not views of request memory Fiber reuses.
func Queries(c *fiber.Ctx, keys ...string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = c.Query(k)
	}
	return out
}

// ImportTemplate sends the CSV file people fill in to import invitations (csvin.Template), the
// same from the API and the console.
func ImportTemplate(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="lobby-import-template.csv"`)
	return c.Send(csvin.Template())
}
