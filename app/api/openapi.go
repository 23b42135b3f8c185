package api

import (
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
)

var (
	openAPIOnce sync.Once
	openAPIDoc  map[string]any
)

// openAPI serves the OpenAPI 3 document built from the route table.
func (h handler) openAPI(c *fiber.Ctx) error {
	openAPIOnce.Do(func() { openAPIDoc = OpenAPI() })
	return c.JSON(openAPIDoc)
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// OpenAPI returns the API description as a JSON-ready map.
func OpenAPI() map[string]any {
	paths := map[string]any{}
	for _, rt := range routes {
		item, _ := paths["/api/v1"+rt.path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths["/api/v1"+rt.path] = item
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(rt.path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": str()})
		}
		for _, q := range rt.query {
			params = append(params, queryParam(q))
		}
		responses := map[string]any{
			strconv.Itoa(rt.status): response(rt.response),
			"default":               errorResponse("An error"),
			"401":                   errorResponse("The token is missing, unknown, revoked or expired (unauthenticated)"),
			"429":                   errorResponse("Too many requests from this address had a wrong or missing token; wait for Retry-After seconds (rate_limited)"),
		}
		for status, r := range moreResponses[rt.method+" "+rt.path] {
			responses[status] = r
		}
		switch {
		case rt.body == "CSV":
			responses["413"] = errorResponse("The file is too large or has too many rows (body_too_large, file_too_large, too_many_rows)")
		case rt.body != "":
			responses["413"] = errorResponse("The body is larger than the server accepts (body_too_large)")
			responses["415"] = errorResponse("The body is not sent as application/json (unsupported_media_type)")
		}
		op := map[string]any{
			"summary":     rt.summary,
			"operationId": strings.ToLower(rt.method) + strings.NewReplacer("/", "_", "{", "", "}", "").Replace(rt.path),
			"responses":   responses,
		}
		if params != nil {
			op["parameters"] = params
		}
		if rt.body != "" {
			content := jsonOf(ref(rt.body))
			if rt.body == "CSV" {
				content = csvUpload()
			}
			optional := rt.method == "POST" && (rt.body == "ResendRequest" || rt.body == "ImportCommit")
			op["requestBody"] = map[string]any{"required": !optional, "content": content}
		}
		item[strings.ToLower(rt.method)] = op
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "Lobby API", "version": "1",
			"description": "Invite people, manage members, teams and settings of one organization. Authenticate with `Authorization: Bearer <api token>`."},
		"servers":    []any{map[string]any{"url": "/"}},
		"security":   []any{map[string]any{"bearer": []any{}}},
		"paths":      paths,
		"components": map[string]any{"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}}, "schemas": schemas()},
	}
}

// queryParam describes a query parameter; the paging ones say what every list accepts.
func queryParam(name string) map[string]any {
	p := map[string]any{"name": name, "in": "query", "schema": str()}
	switch name {
	case "limit":
		p["schema"] = map[string]any{"type": "integer", "minimum": 1, "maximum": 1000, "default": 50}
		p["description"] = "Page size"
	case "cursor":
		p["description"] = "The next_cursor of the previous page; empty or absent for the first page"
	}
	return p
}

// errorResponse is an answer with the API's error body.
func errorResponse(description string) map[string]any {
	return map[string]any{"description": description, "content": jsonOf(ref("Error"))}
}

func response(schema string) map[string]any {
	if schema == "" {
		return map[string]any{"description": "Done"}
	}
	if schema == "CSV" {
		return map[string]any{"description": "A CSV file (UTF-8 with a byte order mark, CRLF)",
			"content": map[string]any{"text/csv": map[string]any{"schema": str()}}}
	}
	return map[string]any{"description": "OK", "content": jsonOf(ref(schema))}
}

func jsonOf(s any) map[string]any {
	return map[string]any{"application/json": map[string]any{"schema": s}}
}
func ref(name string) map[string]any {
	return map[string]any{"$ref": "#/components/schemas/" + name}
}
func str() map[string]any           { return map[string]any{"type": "string"} }
func strs() map[string]any          { return map[string]any{"type": "array", "items": str()} }
func boolean() map[string]any       { return map[string]any{"type": "boolean"} }
func integer() map[string]any       { return map[string]any{"type": "integer"} }
func nullable(m map[string]any) any { m["nullable"] = true; return m }
func timeT() map[string]any         { return map[string]any{"type": "string", "format": "date-time"} }
func obj(props map[string]any) any  { return map[string]any{"type": "object", "properties": props} }
func listOf(item string) any {
	return obj(map[string]any{"items": map[string]any{"type": "array", "items": ref(item)}, "next_cursor": str()})
}
func enum(v ...string) map[string]any { return map[string]any{"type": "string", "enum": v} }

func schemas() map[string]any {
	m := map[string]any{
		"Error": obj(map[string]any{"error": obj(map[string]any{"code": str(), "message": str(), "field": str()})}),
		"InviteRequest": obj(map[string]any{"emails": strs(), "name": str(), "role": str(), "teams": strs(), "resources": strs(),
			"message": str(), "notify": boolean(), "dry_run": map[string]any{"type": "boolean",
				"description": "Only say what would happen to each address (answered 200 with InvitePreview); nothing is created or sent"}}),
		"InviteResult": obj(map[string]any{"created": map[string]any{"type": "array", "items": ref("Invitation")},
			"errors": map[string]any{"type": "array", "items": obj(map[string]any{"email": str(), "code": str(), "message": str()})}}),
		"Invitation": obj(map[string]any{"id": str(), "email": str(), "name": str(), "role": str(), "teams": strs(),
			"status": enum("pending", "accepted", "expired", "revoked", "requested"), "message": str(),
			"invited_by": nullable(map[string]any{"type": "object", "properties": map[string]any{"name": str(), "email": str()}}),
			"expires_at": timeT(), "created_at": timeT(), "sent_at": nullable(timeT()), "send_count": integer(),
			"delivery_status": enum("not_sent", "queued", "sent", "failed"), "delivery_error": str(),
			"opened_at": nullable(timeT()), "accepted_at": nullable(timeT()), "revoked_at": nullable(timeT()),
			"accept_url": str(), "existing": boolean()}),
		"InvitationList":  listOf("Invitation"),
		"InvitationPatch": obj(map[string]any{"role": str(), "teams": strs()}),
		"ResendRequest":   obj(map[string]any{"notify": boolean()}),
		"Member": obj(map[string]any{"id": str(), "user_id": str(), "email": str(), "name": str(), "role": str(),
			"teams": strs(), "status": enum("active", "deactivated"), "source": enum("invite", "join", "scim", "admin"),
			"external_id": str(), "joined_at": timeT(), "updated_at": timeT()}),
		"MemberList":    listOf("Member"),
		"MemberPatch":   obj(map[string]any{"role": str(), "teams": strs(), "status": enum("active", "deactivated")}),
		"Deleted":       obj(map[string]any{"deleted": boolean(), "invitations_reassigned": integer(), "teams_reassigned": integer()}),
		"Team":          obj(map[string]any{"id": str(), "name": str(), "source": enum("admin", "scim"), "member_count": integer(), "created_at": timeT()}),
		"TeamList":      listOf("Team"),
		"TeamRequest":   obj(map[string]any{"name": str()}),
		"Settings":      obj(settingsProps(true)),
		"SettingsPatch": obj(settingsProps(false)),
		"AuditList":     listOf("AuditEntry"),
		"Import":        importSchema(),
		"ImportList":    listOf("Import"),
		"ImportPreview": importPreviewSchema(),
		"ImportRow":     importRowSchema(),
		"ImportRowList": listOf("ImportRow"),
		"ImportCommit":  obj(map[string]any{"notify": boolean()}),
		"ImportSent":    obj(map[string]any{"queued": integer(), "import": ref("Import")}),
		"AuditEntry": obj(map[string]any{"id": str(), "actor": obj(map[string]any{"kind": str(), "id": str(), "name": str()}),
			"action": str(), "target": obj(map[string]any{"kind": str(), "id": str()}),
			"details": map[string]any{"type": "object", "additionalProperties": true}, "created_at": timeT()}),
	}
	for name, s := range adminSchemas() {
		m[name] = s
	}
	return m
}

func settingsProps(read bool) map[string]any {
	p := map[string]any{"name": str(), "seat_limit": nullable(integer()), "invite_ttl": map[string]any{"type": "string",
		"description": `How long invitations stay valid, as a Go duration ("168h", "90m", "30s"): any positive value up to 87600h`}, "remind_before": str(),
		"default_role": str(), "require_team": boolean(), "logo_url": str(), "accent_color": str(), "terms_url": str(),
		"join_enabled": boolean(), "join_slug": str(), "join_allowed_domains": strs(), "join_allowed_emails": strs(),
		"join_allow_subdomains": boolean(), "join_role": str(), "join_teams": strs(), "join_limit": nullable(integer()),
		"join_ends_at": nullable(timeT()), "join_approval": boolean(), "join_notify": boolean(), "join_welcome": str(),
		"sso_required_domains": strs(), "sso_provider": str()}
	if read {
		p["slug"], p["seats_used"], p["join_url"] = str(), integer(), str()
		p["warnings"] = map[string]any{"type": "array", "items": str(),
			"description": "What a setting as saved means that may be unexpected, e.g. a seat limit below the seats in use"}
	} else {
		p["join_regenerate"] = boolean()
	}
	return p
}
