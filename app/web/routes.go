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

	pages.Get("/invite/:token", h.guardTokens, h.inviteShow)
	pages.Post("/invite/:token", h.guardTokens, h.inviteSubmit)
	pages.Post("/invite/:token/ask", h.guardTokens, h.inviteAsk)
	pages.Post("/invite/:token/sso/:id", h.guardTokens, h.inviteSSO)

	pages.Get("/join/confirm/:token", h.guardTokens, h.joinConfirmShow)
	pages.Post("/join/confirm/:token", h.guardTokens, h.joinConfirmSubmit)
	pages.Get("/join/:slug", h.joinShow)
	pages.Post("/join/:slug", h.joinSubmit)
	pages.Post("/join/:slug/sso/:id", h.joinSSO)

	pages.Post("/auth/oidc/link", h.ssoLinkSubmit)
	pages.Post("/auth/oidc/:id/start", h.ssoStart)
	pages.Get("/auth/oidc/:id/callback", h.ssoCallback)

	pages.Get("/reset", h.resetRequestShow)
	pages.Post("/reset", h.resetRequestSubmit)
	pages.Get("/reset/:token", h.guardTokens, h.resetShow)
	pages.Post("/reset/:token", h.guardTokens, h.resetSubmit)

	pages.Get("/setup/:token", h.guardTokens, h.setupShow)
	pages.Post("/setup/:token", h.guardTokens, h.setupSubmit)

	// requireUser goes on each route, not on a group: a group without a prefix would make every
	// address, even one nothing answers, send signed-out visitors to the sign-in page.
	pages.Get("/", h.requireUser, h.dashboard)
	pages.Get("/profile", h.requireUser, h.profileShow)
	pages.Post("/profile", h.requireUser, h.profileUpdate)
	pages.Post("/profile/password", h.requireUser, h.passwordChange)
	pages.Post("/profile/logins/:id/unlink", h.requireUser, h.ssoUnlink)

	pages.Get("/console", h.requireUser, h.consoleHome)
	con := pages.Group("/console/:slug", h.requireUser, h.consoleActor)
	con.Get("", h.consolePeople)
	con.Get("/export/:what", h.consoleExport)
	con.Post("/people/bulk", h.consoleBulk)
	con.Get("/invite", h.consoleInviteForm)
	con.Post("/invite", h.consoleInviteSubmit)
	con.Get("/invitations/:id", h.consoleInvitation)
	con.Post("/invitations/:id/:action", h.consoleInvitationAct)
	con.Get("/members/:id", h.consoleMember)
	con.Get("/members/:id/view", h.consoleViewAs)
	con.Post("/members/:id/resources", h.consoleMemberResource)
	con.Post("/members/:id/:action", h.consoleMemberAct)
	con.Get("/imports", h.consoleImports)
	con.Post("/imports", h.consoleImportUpload)
	con.Get("/imports/template.csv", h.consoleImportTemplate)
	con.Get("/imports/:id", h.consoleImport)
	con.Get("/imports/:id/report.csv", h.consoleImportReport)
	con.Post("/imports/:id/:action", h.consoleImportAct)
	con.Get("/resources", h.consoleResources)
	con.Post("/resources", h.consoleResourceCreate)
	con.Post("/resources/:id/:action", h.consoleResourceAct)
	con.Get("/teams", h.consoleTeams)
	con.Post("/teams", h.consoleTeamCreate)
	con.Post("/teams/:id/:action", h.consoleTeamAct)
	con.Get("/roles", h.consoleRoles)
	con.Post("/roles", h.consoleRoleCreate)
	con.Get("/settings", h.consoleSettings)
	con.Post("/settings", h.consoleSettingsSave)
	con.Post("/join", h.consoleJoinSave)
	con.Post("/tokens", h.consoleTokenCreate)
	con.Post("/tokens/:id/revoke", h.consoleTokenRevoke)
	con.Get("/audit", h.consoleAudit)
	con.Get("/mail", h.consoleMail)
	con.Get("/mail/:id", h.consoleMailOne)
	con.Post("/mail/:id/retry", h.consoleMailRetry)
	con.Get("/jobs", h.consoleJobs)
	con.Post("/jobs/:name/run", h.consoleJobRun)
}
