package api

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

// noRoute answers a request no route took: 405 with the methods the path does take (Allow),
// or 404 when no route has the path at all.
func (h handler) noRoute(c *fiber.Ctx) error {
	if allow := allowedMethods(strings.TrimPrefix(c.Path(), "/api/v1")); len(allow) > 0 {
		c.Set(fiber.HeaderAllow, strings.Join(allow, ", "))
		return h.fail(c, fiber.NewError(fiber.StatusMethodNotAllowed,
			c.Method()+" is not allowed on "+c.Path()+"; use "+strings.Join(allow, " or ")))
	}
	return h.fail(c, &org.Error{Code: org.CodeNotFound, Message: "no such API route: " + c.Method() + " " + c.Path()})
}

// allowedMethods lists the methods of the routes whose path pattern matches path.
func allowedMethods(path string) []string {
	var out []string
	got := strings.Split(strings.Trim(path, "/"), "/")
	for _, rt := range routes {
		want := strings.Split(strings.Trim(rt.path, "/"), "/")
		if len(want) != len(got) {
			continue
		}
		match := true
		for i, w := range want {
			if !strings.HasPrefix(w, "{") && w != got[i] {
				match = false
				break
			}
		}
		if match && !slices.Contains(out, rt.method) {
			out = append(out, rt.method)
		}
	}
	return out
}
