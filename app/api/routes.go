package api

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

// route is one API endpoint: the table drives both the router and the OpenAPI document, so the
// two cannot drift apart.
type route struct {
	method, path, summary string
	handler               func(handler, *fiber.Ctx) error
	body, response        string // schema names in openapi.go; "" for none
	status                int    // success status
	query                 []string
}

var routes = []route{
	{"POST", "/invitations", "Invite one or more addresses", handler.createInvitations, "InviteRequest", "InviteResult", 201, nil},
	{"GET", "/invitations", "List invitations", handler.listInvitations, "", "InvitationList", 200, []string{"status", "q", "import_id", "limit", "cursor"}},
	{"GET", "/invitations/{id}", "Read an invitation", handler.getInvitation, "", "Invitation", 200, nil},
	{"PATCH", "/invitations/{id}", "Change the role or teams of a pending invitation", handler.updateInvitation, "InvitationPatch", "Invitation", 200, nil},
	{"POST", "/invitations/{id}/resend", "Resend with a new link; the old link stops working", handler.resendInvitation, "ResendRequest", "Invitation", 200, nil},
	{"POST", "/invitations/{id}/revoke", "Revoke a pending invitation", handler.revokeInvitation, "", "Invitation", 200, nil},
	{"POST", "/invitations/{id}/approve", "Approve a request to join (status requested): the person becomes a member and is told", handler.approveJoinRequest, "", "Invitation", 200, nil},
	{"POST", "/invitations/{id}/decline", "Decline a request to join (status requested); the person is told", handler.declineJoinRequest, "", "Invitation", 200, nil},
	{"GET", "/members", "List members", handler.listMembers, "", "MemberList", 200, []string{"status", "team", "role", "q", "limit", "cursor"}},
	{"GET", "/members/{id}", "Read a member", handler.getMember, "", "Member", 200, nil},
	{"PATCH", "/members/{id}", "Change a member's role, teams or status", handler.updateMember, "MemberPatch", "Member", 200, nil},
	{"DELETE", "/members/{id}", "Remove a member for good", handler.deleteMember, "", "Deleted", 200, nil},
	{"GET", "/teams", "List teams", handler.listTeams, "", "TeamList", 200, []string{"limit", "cursor"}},
	{"POST", "/teams", "Create a team", handler.createTeam, "TeamRequest", "Team", 201, nil},
	{"GET", "/teams/{id}", "Read a team", handler.getTeam, "", "Team", 200, nil},
	{"PATCH", "/teams/{id}", "Rename a team (not one managed by SCIM: scim_managed)", handler.renameTeam, "TeamPatch", "Team", 200, nil},
	{"DELETE", "/teams/{id}", "Delete a team; its members stay (not one managed by SCIM: scim_managed)", handler.deleteTeam, "", "", 204, nil},
	{"PUT", "/teams/{id}/members/{member_id}", "Add a member to a team", handler.addTeamMember, "", "", 204, nil},
	{"DELETE", "/teams/{id}/members/{member_id}", "Remove a member from a team", handler.removeTeamMember, "", "", 204, nil},
	{"PUT", "/members/{id}/resources/{resource_id}", "Give a member a resource directly", handler.grantResource, "", "", 204, nil},
	{"DELETE", "/members/{id}/resources/{resource_id}", "Take back a resource given to a member directly", handler.withdrawResource, "", "", 204, nil},
	{"GET", "/people", "List members and invitations not accepted (pending, expired, revoked, requested) together, newest first", handler.listPeople, "", "PersonList", 200, []string{"status", "role", "team", "q", "sort", "limit", "cursor"}},
	{"GET", "/roles", "List roles, highest first, with how many members hold each", handler.listRoles, "", "RoleList", 200, []string{"limit", "cursor"}},
	{"POST", "/roles", "Create a custom role", handler.createRole, "RoleRequest", "Role", 201, nil},
	{"GET", "/resources", "List resources (links members get) with the teams that grant each", handler.listResources, "", "ResourceList", 200, []string{"limit", "cursor"}},
	{"POST", "/resources", "Create a resource granted to the teams named", handler.createResource, "ResourceRequest", "Resource", 201, nil},
	{"PUT", "/resources/{id}/teams", "Replace the teams that grant a resource", handler.setResourceTeams, "ResourceTeams", "Resource", 200, nil},
	{"DELETE", "/resources/{id}", "Delete a resource", handler.deleteResource, "", "", 204, nil},
	{"GET", "/tokens", "List API and SCIM tokens, newest first (never their secrets)", handler.listTokens, "", "TokenList", 200, []string{"limit", "cursor"}},
	{"DELETE", "/tokens/{id}", "Revoke a token at once", handler.revokeToken, "", "", 204, nil},
	{"GET", "/mail", "List the outbox, newest first, with each email's delivery status", handler.listMail, "", "MailList", 200, []string{"status", "limit", "cursor"}},
	{"GET", "/mail/{id}", "Read one email of the outbox", handler.getMail, "", "Mail", 200, nil},
	{"POST", "/mail/{id}/retry", "Queue a failed email again", handler.retryMail, "", "", 204, nil},
	{"GET", "/settings", "Read the organization's settings", handler.getSettings, "", "Settings", 200, nil},
	{"PATCH", "/settings", "Change settings; only the keys given change", handler.updateSettings, "SettingsPatch", "Settings", 200, nil},
	{"GET", "/audit", "Read the audit log, newest first", handler.listAudit, "", "AuditList", 200, []string{"actor", "action", "since", "limit", "cursor"}},
	{"POST", "/imports", "Upload a CSV file of invitations and preview it; nothing is created yet", handler.createImport, "CSV", "ImportPreview", 201, []string{"filename", "resend_existing", "create_teams"}},
	{"GET", "/imports", "List imports, newest first", handler.listImports, "", "ImportList", 200, []string{"limit", "cursor"}},
	{"GET", "/imports/template.csv", "Download the CSV template", handler.importTemplate, "", "CSV", 200, nil},
	{"GET", "/imports/{id}", "Read an import with its counts and the progress of its commit", handler.getImport, "", "Import", 200, nil},
	{"GET", "/imports/{id}/rows", "Read an import's per-row report in file order", handler.listImportRows, "", "ImportRowList", 200, []string{"outcome", "limit", "cursor"}},
	{"GET", "/imports/{id}/report.csv", "Download an import's per-row report as CSV", handler.importReport, "", "CSV", 200, nil},
	{"POST", "/imports/{id}/commit", "Create the invitations of a preview (202 while a long one goes on)", handler.commitImport, "ImportCommit", "Import", 200, nil},
	{"POST", "/imports/{id}/send", "Email the pending invitations of an import committed without notify", handler.sendImport, "", "ImportSent", 200, nil},
	{"POST", "/imports/{id}/cancel", "Drop a preview", handler.cancelImport, "", "Import", 200, nil},
	{"GET", "/export/members.csv", "Export members as CSV", handler.exportMembers, "", "CSV", 200, []string{"status", "team", "role", "q"}},
	{"GET", "/export/invitations.csv", "Export invitations as CSV", handler.exportInvitations, "", "CSV", 200, []string{"status", "q", "import_id"}},
}

// Mount adds every /api/v1 route to r. All routes but the OpenAPI document need an API token.
func Mount(r fiber.Router, d Deps) {
	h := handler{d}
	v1 := r.Group("/api/v1")
	v1.Get("/openapi.json", h.openAPI)
	v1.Use(h.bearer)
	for _, rt := range routes {
		fn, known := rt.handler, rt.query
		v1.Add(rt.method, fiberPath(rt.path), func(c *fiber.Ctx) error {
			if err := knownQuery(c, known); err != nil {
				return h.fail(c, err)
			}
			return fn(h, c)
		})
	}
	noRoute := h.noRoute
	v1.Use(noRoute)
	// Other versions, typos: never the web pages. Fiber's Use matches "/api" as a plain prefix,
	// so "/apiary" is let through to them.
	r.Use("/api", func(c *fiber.Ctx) error {
		if p := c.Path(); p != "/api" && !strings.HasPrefix(p, "/api/") {
			return c.Next()
		}
		return noRoute(c)
	})
}

// knownQuery refuses a query parameter the route does not take, as unknown JSON fields are
// refused: a filter the route ignored would answer everything without a word.
func knownQuery(c *fiber.Ctx, known []string) error {
	var bad string
	c.Context().QueryArgs().VisitAll(func(k, _ []byte) {
		if bad == "" && !slices.Contains(known, string(k)) {
			bad = string(k)
		}
	})
	if bad == "" {
		return nil
	}
	takes := "no query parameters"
	if len(known) > 0 {
		takes = strings.Join(known, ", ")
	}
	return &org.Error{Code: org.CodeInvalid, Field: bad, Message: fmt.Sprintf("unknown query parameter %q; this address takes %s", bad, takes)}
}

// fiberPath turns "/teams/{id}" into Fiber's "/teams/:id".
func fiberPath(p string) string {
	return strings.NewReplacer("{", ":", "}", "").Replace(p)
}

// bearer authenticates the API token from the Authorization header only (never a query
// parameter, which would end up in logs).
func (h handler) bearer(c *fiber.Ctx) error {
	auth := c.Get(fiber.HeaderAuthorization)
	scheme, tok, ok := strings.Cut(auth, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="lobby"`)
		return h.fail(c, org.ErrBadToken)
	}
	a, err := h.Org.Authenticate(c.UserContext(), "api", strings.TrimSpace(tok))
	if err != nil {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="lobby", error="invalid_token"`)
		return h.fail(c, err)
	}
	c.Locals("actor", a)
	return c.Next()
}
