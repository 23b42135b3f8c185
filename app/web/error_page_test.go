package web_test

import (
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/web"
)

// A failure no handler answered shows a page in the site's layout that says, in words for
// people, whose side the problem is on and where to go.
func TestErrorPage(t *testing.T) {
	r, err := renderer()
	if err != nil {
		t.Fatal(err)
	}
	app := fiber.New(fiber.Config{ErrorHandler: func(c *fiber.Ctx, err error) error {
		code, msg := fiber.StatusInternalServerError, ""
		if fe, ok := err.(*fiber.Error); ok {
			code, msg = fe.Code, "The request body is larger than this server accepts."
		}
		return web.ErrorPage(c, r, code, msg)
	}})
	app.Get("/broken", func(*fiber.Ctx) error { return errors.New("the database is gone") })
	app.Get("/big", func(*fiber.Ctx) error { return fiber.ErrRequestEntityTooLarge })
	for path, want := range map[string][]string{
		"/broken": {"500", "<h1>Something went wrong</h1>", "on our side. Try again in a minute", `href="/"`},
		"/big":    {"413", "<h1>Something went wrong</h1>", "larger than this server accepts"},
		"/nope":   {"404", "<h1>Page not found</h1>", "Go to your home page"},
	} {
		resp, err := app.Test(httptest.NewRequest("GET", path, nil))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		got := resp.Status + string(raw)
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %q: %s", path, w, got)
			}
		}
	}
}
