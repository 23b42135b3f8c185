package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/store"
)

// termsRefused is what a form that let someone into an organization without ticking its
// terms says.
const termsRefused = "Please agree to the terms to join."

// agreed reports whether a form that lets someone into o agreed to o's terms, which every way
// in asks for when o has some: the "terms" box of the partial of the same name. Continuing with
// a work account is the agreement itself (its button says so: "terms_sso").
func agreed(c *fiber.Ctx, o store.Org) bool { return o.TermsURL == "" || c.FormValue("terms") == "yes" }
