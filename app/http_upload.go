package app

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/csvin"
	"github.com/lobby/lobby/app/org"
)

// tooLargeUpload answers a CSV upload that the server turned away for its size before any
// handler ran as the import itself would: with the file size limit and what to do, as JSON on
// the API and back on the console's Imports page. It reports whether the request was one.
func (a *App) tooLargeUpload(c *fiber.Ctx) (bool, error) {
	if c.Method() != fiber.MethodPost {
		return false, nil
	}
	msg := (&csvin.LimitError{What: csvin.LimitBytes, Limit: a.Config.Imports.MaxBytes}).Error()
	p := c.Path()
	switch {
	case p == "/api/v1/imports":
		return true, c.Status(fiber.StatusRequestEntityTooLarge).JSON(fiber.Map{"error": fiber.Map{"code": org.CodeFileTooLarge, "message": msg}})
	case strings.HasPrefix(p, "/console/") && strings.HasSuffix(p, "/imports") && strings.Count(p, "/") == 3:
		notice := strings.ToUpper(msg[:1]) + msg[1:] + "."
		return true, c.Redirect(p+"?notice="+url.QueryEscape(notice), fiber.StatusSeeOther)
	}
	return false, nil
}
