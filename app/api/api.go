package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// Deps is what the API needs from the rest of Lobby.
type Deps struct {
	Org *org.Service
	Log *slog.Logger
	// MaxBody is the largest JSON body accepted, in bytes.
	MaxBody int
	// BaseURL builds the join link shown in settings.
	BaseURL string
	// ImportMaxRows and ImportMaxBytes bound CSV uploads (config imports.max_rows and
	// imports.max_bytes); zero takes csvin's defaults.
	ImportMaxRows  int
	ImportMaxBytes int64
	// ImportWait is how long a commit answers in the request before it goes on in the
	// background and answers 202 (default 20 s).
	ImportWait time.Duration
}

type handler struct{ Deps }

// errorBody is the one error shape of the API.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// statusOf maps an org error code to an HTTP status.
func statusOf(code string) int {
	switch code {
	case org.CodeInvalid:
		return fiber.StatusBadRequest
	case org.CodeUnauthenticated:
		return fiber.StatusUnauthorized
	case org.CodeForbidden:
		return fiber.StatusForbidden
	case org.CodeNotFound:
		return fiber.StatusNotFound
	case org.CodeSeatLimit, org.CodeConflict, org.CodeAlreadyMember, org.CodeAlreadyInvited, org.CodeNotPending,
		org.CodeNotResendable, org.CodeLastOwner, org.CodeSCIMManaged, org.CodeDeactivated, org.CodeEmailTaken:
		return fiber.StatusConflict
	default:
		return fiber.StatusUnprocessableEntity
	}
}

// fail writes err as the API's error body; unexpected errors are logged and hidden.
func (h handler) fail(c *fiber.Ctx, err error) error {
	if e, ok := org.AsError(err); ok {
		return c.Status(statusOf(e.Code)).JSON(errorBody{errorDetail{e.Code, e.Message, e.Field}})
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		return c.Status(fe.Code).JSON(errorBody{errorDetail{codeOfStatus(fe.Code), fe.Message, ""}})
	}
	h.Log.Error("An API request failed.", "method", c.Method(), "route", c.Route().Path, "err", err)
	return c.Status(fiber.StatusInternalServerError).JSON(errorBody{errorDetail{"internal", "something went wrong on our side; it has been logged", ""}})
}

func codeOfStatus(status int) string {
	switch status {
	case fiber.StatusRequestEntityTooLarge:
		return "body_too_large"
	case fiber.StatusNotFound:
		return "not_found"
	case fiber.StatusMethodNotAllowed:
		return "method_not_allowed"
	case fiber.StatusUnsupportedMediaType:
		return "unsupported_media_type"
	default:
		return "invalid_request"
	}
}

// decode reads a JSON body strictly into dst: one object, no unknown fields, within MaxBody.
// A body over MaxBody answers 413 body_too_large, as one over the server's own limit does
// (app's error handler); a body declared as anything but JSON answers 415
// unsupported_media_type. A body without a Content-Type is read as JSON.
func (h handler) decode(c *fiber.Ctx, dst any) error {
	body := c.Body()
	if h.MaxBody > 0 && len(body) > h.MaxBody {
		return fiber.NewError(fiber.StatusRequestEntityTooLarge,
			fmt.Sprintf("the request body is larger than %d bytes, the most this server accepts (server.max_body_bytes)", h.MaxBody))
	}
	if ct := c.Get(fiber.HeaderContentType); ct != "" && !isJSON(ct) {
		return fiber.NewError(fiber.StatusUnsupportedMediaType,
			fmt.Sprintf("send the body as application/json; this one says it is %q", ct))
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return &org.Error{Code: org.CodeInvalid, Message: "the JSON body is not valid: " + jsonProblem(err)}
	}
	if dec.More() {
		return &org.Error{Code: org.CodeInvalid, Message: "the JSON body has more than one value"}
	}
	return nil
}

// isJSON reports whether a Content-Type header names JSON: application/json or a +json type,
// any parameters (charset) and any case.
func isJSON(contentType string) bool {
	// A malformed parameter ("application/json; charset") still names the type.
	mt, _, err := mime.ParseMediaType(contentType)
	return (err == nil || errors.Is(err, mime.ErrInvalidMediaParameter)) && (mt == fiber.MIMEApplicationJSON || strings.HasSuffix(mt, "+json"))
}

func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("%s at byte %d", se.Error(), se.Offset)
	case errors.As(err, &te) && te.Field == "":
		return fmt.Sprintf("the body must be %s, not %s", typeWords(te.Type), valueWords(te.Value))
	case errors.As(err, &te) && wholeNumber(te.Value) && strings.Contains(te.Type.Kind().String(), "int"):
		return fmt.Sprintf("field %q is out of range", te.Field)
	case errors.As(err, &te):
		return fmt.Sprintf("field %q must be %s, not %s", te.Field, typeWords(te.Type), valueWords(te.Value))
	case errors.Is(err, io.EOF):
		return "the body is empty"
	default:
		return strings.TrimPrefix(err.Error(), "json: ")
	}
}

// typeWords says what a JSON value of Go type t looks like, in words (never a Go type name).
func typeWords(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16,
		reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list of " + strings.TrimPrefix(strings.TrimPrefix(typeWords(t.Elem()), "a "), "an ") + "s"
	default:
		return "an object"
	}
}

// wholeNumber reports whether a decoder's value ("number 12", "number 1.5") is a whole
// number: one that did not fit its field is out of range, not of the wrong type.
func wholeNumber(value string) bool {
	lit, ok := strings.CutPrefix(value, "number ")
	return ok && !strings.ContainsAny(lit, ".eE")
}

// valueWords names the kind of JSON value the decoder found ("array", "number 1.5", …).
func valueWords(v string) string {
	switch v {
	case "array":
		return "a list"
	case "object":
		return "an object"
	}
	return v
}

// actor is the authenticated caller set by the bearer middleware.
func actor(c *fiber.Ctx) org.Actor { return c.Locals("actor").(org.Actor) }

// idPage is page for lists whose cursor is the id of the last row: a cursor that is no id
// is refused, rather than quietly answered with some page.
func idPage(c *fiber.Ctx) (store.Page, error) {
	p, err := page(c)
	if err == nil && p.Cursor != "" {
		if _, perr := uuid.Parse(p.Cursor); perr != nil {
			err = &org.Error{Code: org.CodeInvalid, Field: "cursor", Message: "cursor must be the next_cursor of the previous page"}
		}
	}
	return p, err
}

// page reads limit and cursor. The page peeks one row ahead, so newList can tell whether
// another page follows.
func page(c *fiber.Ctx) (store.Page, error) {
	p := store.Page{Cursor: c.Query("cursor"), Peek: true}
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return p, &org.Error{Code: org.CodeInvalid, Field: "limit", Message: "limit must be a whole number from 1 to 1000"}
		}
		p.Limit = n
	}
	return p.Normalise(), nil
}

// list is the shape of every collection answer.
type list[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// newList answers one page of a list read with p (which peeked one row ahead): next_cursor is
// set only when a row beyond the page exists, so the last page has none even when it is full.
func newList[T any](items []T, p store.Page, idOf func(T) string) list[T] {
	l := list[T]{Items: items}
	if l.Items == nil {
		l.Items = []T{}
	}
	if len(l.Items) > p.Limit {
		l.Items = l.Items[:p.Limit]
		l.NextCursor = idOf(l.Items[len(l.Items)-1])
	}
	return l
}

// rfc3339 formats unix milliseconds as an RFC 3339 UTC string.
func rfc3339(ms int64) string { return time.UnixMilli(ms).UTC().Format(time.RFC3339) }

// optTime formats an optional time; nil stays null.
func optTime(ms *int64) *string {
	if ms == nil {
		return nil
	}
	s := rfc3339(*ms)
	return &s
}
