package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/auth/oidc"
)

// ssoProblem answers a failure of the provider or of its answer with a plain page saying what
// to do, and logs the provider's error code for the admin (never a token).
func (h handler) ssoProblem(c *fiber.Ctx, p *oidc.Provider, f oidc.Flow, err error) error {
	pe, ok := oidc.AsError(err)
	if !ok {
		return err
	}
	level := h.Log.Warn
	if pe.Kind == oidc.KindDenied || pe.Kind == oidc.KindStale {
		level = h.Log.Info
	}
	level("A sign-in with an OpenID provider failed.", pe.LogAttrs()...)
	status, title, msg := fiber.StatusBadGateway, p.Name+" sign-in failed", ""
	switch pe.Kind {
	case oidc.KindUnavailable:
		status, title = fiber.StatusServiceUnavailable, "This login is unavailable right now"
		msg = "We could not reach " + p.Name + ". Try again in a few minutes, or use another way to sign in."
	case oidc.KindDenied:
		status, title = fiber.StatusForbidden, "Sign-in with "+p.Name+" was cancelled"
		msg = p.Name + " did not let you sign in (perhaps you chose Cancel or Deny there). Nothing has changed; try again when you are ready."
	case oidc.KindStale:
		status, title = fiber.StatusBadRequest, "This sign-in took too long"
		msg = "The answer from " + p.Name + " had expired or was already used. Start again."
	case oidc.KindClient:
		title = p.Name + " sign-in is not set up correctly"
		msg = p.Name + " does not accept this site's client settings. Your administrator can see the details in the server log (error code " +
			pe.Code + "); use another way to sign in meanwhile."
	case oidc.KindClock:
		msg = "The clocks of this site and " + p.Name + " disagree, so its answer could not be trusted. Try again in a minute; " +
			"if it keeps happening, tell your administrator (error code " + pe.Code + ")."
	case oidc.KindKey:
		msg = "The signature on " + p.Name + "'s answer did not match its published keys (it may have just changed them). " +
			"Try again in a few minutes; if it keeps happening, tell your administrator."
	default:
		msg = "The answer from " + p.Name + " was not valid for this site, so you were not signed in. Start again; " +
			"if it keeps happening, tell your administrator (error code " + pe.Code + ")."
	}
	return h.message(c, status, title, msg, h.backLink(f))
}
