package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/lobby/lobby/app/csvin"
	"github.com/lobby/lobby/app/org"
)

// The two routes that take a CSV file: the API's and the console's.
const (
	uploadNone = iota
	uploadAPI
	uploadConsole
)

// uploadRoute says which upload route a POST to path is, if any.
func uploadRoute(method, path string) int {
	if method != fiber.MethodPost {
		return uploadNone
	}
	path = strings.ToLower(strings.TrimSuffix(path, "/")) // as Fiber routes: any case, a trailing slash
	switch {
	case path == "/api/v1/imports":
		return uploadAPI
	case strings.HasPrefix(path, "/console/") && strings.HasSuffix(path, "/imports") && strings.Count(path, "/") == 3:
		return uploadConsole
	}
	return uploadNone
}

// bodyLimit decides how large a request's body may be from its request line, before the body
// is read: room for imports.max_bytes on the two upload routes, server.max_body_bytes (and a
// little for form fields) everywhere else. Without it every address, the sign-in form
// included, would hold an upload's worth of body for anyone.
func (a *App) bodyLimit(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	path, _, _ := strings.Cut(string(h.RequestURI()), "?")
	limit := a.Config.Server.MaxBodyBytes + 64<<10
	if uploadRoute(string(h.Method()), path) != uploadNone {
		limit = max(limit, a.Config.Imports.MaxBytes+64<<10)
	}
	return fasthttp.RequestConfig{MaxRequestBodySize: int(limit)}
}

// tooLargeUpload answers a CSV upload that the server turned away for its size before any
// handler ran as the import itself would: with the file size limit and what to do, as JSON on
// the API and back on the console's Imports page (which says it). It reports whether the
// request was one.
func (a *App) tooLargeUpload(c *fiber.Ctx) (bool, error) {
	switch uploadRoute(c.Method(), c.Path()) {
	case uploadAPI:
		msg := (&csvin.LimitError{What: csvin.LimitBytes, Limit: a.Config.Imports.MaxBytes}).Error()
		return true, c.Status(fiber.StatusRequestEntityTooLarge).JSON(fiber.Map{"error": fiber.Map{"code": org.CodeFileTooLarge, "message": msg}})
	case uploadConsole:
		return true, c.Redirect(c.Path()+"?too_large=1", fiber.StatusSeeOther)
	}
	return false, nil
}
