package api

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/csvin"
	"github.com/lobby/lobby/app/org"
)

// createImport handles POST /api/v1/imports?filename=&resend_existing=&create_teams=: the CSV
// file as the raw body (text/csv) or as the form field "file" of a multipart body. It stores and
// answers the preview; nothing is created before POST /imports/{id}/commit.
func (h handler) createImport(c *fiber.Ctx) error {
	resend, err := boolQuery(c, "resend_existing")
	if err != nil {
		return h.fail(c, err)
	}
	create, err := boolQuery(c, "create_teams")
	if err != nil {
		return h.fail(c, err)
	}
	name := c.Query("filename")
	var body io.Reader = bytes.NewReader(c.Body())
	if strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEMultipartForm) {
		fh, err := c.FormFile("file")
		if err != nil {
			return h.fail(c, &org.Error{Code: org.CodeInvalid, Field: "file", Message: "send the CSV file in a form field named file"})
		}
		f, err := fh.Open()
		if err != nil {
			return h.fail(c, err)
		}
		defer f.Close()
		body = f
		if name == "" {
			name = fh.Filename
		}
	}
	p, err := h.Org.PreviewImport(c.UserContext(), actor(c), body, org.ImportOptions{Filename: name, ResendExisting: resend,
		CreateTeams: create, Limits: csvin.Limits{MaxRows: h.ImportMaxRows, MaxBytes: h.ImportMaxBytes}, FirstRows: 100})
	if err != nil {
		return h.failImport(c, err)
	}
	out := previewJSON{importJSON: toImportJSON(p.Import), FirstRows: make([]importRowJSON, len(p.Rows))}
	for i, r := range p.Rows {
		out.FirstRows[i] = toImportRowJSON(r)
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}

// failImport answers a file over the limits with 413 and everything else as fail does (a file
// that is not a usable CSV gets 422 with csvin's code).
func (h handler) failImport(c *fiber.Ctx, err error) error {
	if e, ok := org.AsError(err); ok && (e.Code == org.CodeFileTooLarge || e.Code == org.CodeTooManyRows) {
		return c.Status(fiber.StatusRequestEntityTooLarge).JSON(errorBody{errorDetail{e.Code, e.Message, e.Field}})
	}
	return h.fail(c, err)
}

// boolQuery reads an optional true/false query parameter.
func boolQuery(c *fiber.Ctx, key string) (bool, error) {
	v := c.Query(key)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, &org.Error{Code: org.CodeInvalid, Field: key, Message: key + " must be true or false"}
	}
	return b, nil
}
