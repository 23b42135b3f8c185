package web

import "github.com/gofiber/fiber/v2"

// formStep is which form a token page's POST comes from: "signup", "signin", or "" (accept as
// the person signed in). The pages say so in a hidden step field; a client that sends only the
// fields DESIGN.md names (name and password to sign up, password to sign in) is read by them.
func formStep(c *fiber.Ctx) string {
	if step := c.FormValue("step"); step != "" {
		return step
	}
	switch {
	case c.FormValue("password") == "":
		return ""
	case c.FormValue("name") != "":
		return "signup"
	default:
		return "signin"
	}
}
