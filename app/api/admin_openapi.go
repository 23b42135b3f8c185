package api

import "github.com/lobby/lobby/app/org"

// adminSchemas are the schemas of the routes that do what the console's admin screens do:
// people, roles, resources, tokens, mail and the invitation preview.
func adminSchemas() map[string]any {
	perms := make([]string, len(org.Permissions))
	for i, p := range org.Permissions {
		perms[i] = string(p)
	}
	permList := map[string]any{"type": "array", "items": enum(perms...)}
	return map[string]any{
		"TeamPatch": obj(map[string]any{"name": str()}),
		"Person": obj(map[string]any{"kind": enum("member", "invitation"), "id": str(), "email": str(), "name": str(), "role": str(),
			"status": enum("active", "deactivated", "pending", "expired", "revoked", "requested"),
			"source": enum("invite", "join", "scim", "admin"), "delivery_status": enum("not_sent", "queued", "sent", "failed"),
			"expires_at": nullable(timeT()), "created_at": timeT()}),
		"PersonList":  listOf("Person"),
		"Role":        obj(map[string]any{"key": str(), "name": str(), "builtin": boolean(), "permissions": permList, "member_count": integer(), "created_at": timeT()}),
		"RoleList":    listOf("Role"),
		"RoleRequest": obj(map[string]any{"key": str(), "name": str(), "permissions": permList}),
		"Resource": obj(map[string]any{"id": str(), "name": str(), "url": str(), "description": str(), "teams": strs(),
			"created_at": timeT()}),
		"ResourceList":    listOf("Resource"),
		"ResourceRequest": obj(map[string]any{"name": str(), "url": str(), "description": str(), "teams": strs()}),
		"ResourceTeams":   obj(map[string]any{"teams": strs()}),
		"Token": obj(map[string]any{"id": str(), "kind": enum("api", "scim"), "name": str(), "created_at": timeT(),
			"expires_at": nullable(timeT()), "last_used_at": nullable(timeT()), "revoked_at": nullable(timeT()), "expired": boolean(),
			"maker_below_admin": boolean()}),
		"TokenList": listOf("Token"),
		"Mail": obj(map[string]any{"id": str(), "template": str(), "to": str(), "status": enum("queued", "sent", "failed", "cancelled"),
			"attempts": integer(), "last_error": str(), "created_at": timeT(), "sent_at": nullable(timeT())}),
		"MailList": listOf("Mail"),
		"InvitePreview": obj(map[string]any{"dry_run": boolean(),
			"outcomes": map[string]any{"type": "array", "items": obj(map[string]any{"email": str(), "name": str(), "message": str(),
				"outcome": map[string]any{"type": "string", "description": `"new", or the code of why not: already_invited, already_member, ` +
					`member_deactivated, seat_limit_reached, invalid_email, duplicate, …`}})},
			"counts": map[string]any{"type": "object", "description": "Addresses per outcome", "additionalProperties": integer()}}),
	}
}

// moreResponses are answers of a route besides its success status in the route table.
var moreResponses = map[string]map[string]any{
	"POST /invitations": {"200": map[string]any{
		"description": `With "dry_run": true, what would happen to each address (InvitePreview; nothing is created or sent); ` +
			"otherwise every address already had a pending invitation (InviteResult)",
		"content": jsonOf(map[string]any{"oneOf": []any{ref("InvitePreview"), ref("InviteResult")}})}},
}
