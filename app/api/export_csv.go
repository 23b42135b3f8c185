package api

import (
	"bufio"
	"context"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

// sendCSV streams an export as the answer: headers now, rows page by page as the client reads.
// An error part-way can only be logged; the file then ends early.
func (h handler) sendCSV(c *fiber.Ctx, e org.Export) error {
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+e.Filename+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx, log := context.WithoutCancel(c.UserContext()), h.Log
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		if err := e.Write(ctx, w); err != nil {
			log.Error("A CSV export stopped part-way.", "file", e.Filename, "err", err)
		}
	})
	return nil
}

// queries copies query parameters out of Fiber's request memory, which is reused once the
// handler returns (exports go on reading their filter while they stream).
func queries(c *fiber.Ctx, keys ...string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = strings.Clone(c.Query(k))
	}
	return out
}
