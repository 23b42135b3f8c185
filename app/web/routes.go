package web

import (
	"github.com/gofiber/fiber/v2"
)

// Mount adds every page route to r. Every POST passes the CSRF check.
func Mount(r fiber.Router, d Deps) {
	h := handler{d}
	r.Get("/static/:file", d.Render.Static)
	pages := r.Group("", h.loadSession, h.checkCSRF)

	pages.Get("/login", h.loginShow)
	pages.Post("/login", h.loginSubmit)
	pages.Get("/logout", h.logoutShow)
	pages.Post("/logout", h.logoutSubmit)

	pages.Get("/invite/:token", h.inviteShow)
	pages.Post("/invite/:token", h.inviteSubmit)
	pages.Post("/invite/:token/ask", h.inviteAsk)

	pages.Get("/reset", h.resetRequestShow)
	pages.Post("/reset", h.resetRequestSubmit)
	pages.Get("/reset/:token", h.resetShow)
	pages.Post("/reset/:token", h.resetSubmit)

	pages.Get("/setup/:token", h.setupShow)
	pages.Post("/setup/:token", h.setupSubmit)

	signedIn := pages.Group("", h.requireUser)
	signedIn.Get("/", h.dashboard)
	signedIn.Get("/profile", h.profileShow)
	signedIn.Post("/profile", h.profileUpdate)
	signedIn.Post("/profile/password", h.passwordChange)
}
