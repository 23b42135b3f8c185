package org

import (
	"context"
	"slices"
	"strings"

	"github.com/lobby/lobby/app/store"
)

// Permission is one thing a role may allow. Custom roles pick from Permissions.
type Permission string

// The fixed list of permissions.
const (
	PermMembersRead   Permission = "members:read"
	PermMembersManage Permission = "members:manage"
	PermInvite        Permission = "invitations:manage"
	PermTeams         Permission = "teams:manage"
	PermSettings      Permission = "settings:manage"
	PermTokens        Permission = "tokens:manage"
	PermAudit         Permission = "audit:read"
	PermRoles         Permission = "roles:manage"
	PermOwners        Permission = "owners:manage"
)

// Permissions lists every permission in the order the console shows them.
var Permissions = []Permission{PermMembersRead, PermMembersManage, PermInvite, PermTeams, PermSettings, PermTokens,
	PermAudit, PermRoles, PermOwners}

// Built-in role keys.
const (
	RoleOwner  = "owner"
	RoleAdmin  = "admin"
	RoleMember = "member"
)

// Ranks order roles: nobody may grant a role ranked above their own.
const (
	rankOwner  = 100
	rankAdmin  = 50
	rankCustom = 10
	rankMember = 0
)

// allPermissions lists every permission as strings.
func allPermissions() []string {
	all := make([]string, len(Permissions))
	for i, p := range Permissions {
		all[i] = string(p)
	}
	return all
}

// adminPermissions are the built-in admin role's: all but managing owners.
func adminPermissions() []string {
	return slices.DeleteFunc(allPermissions(), func(p string) bool { return p == string(PermOwners) })
}

// adminRole is the built-in admin role as every organization has it (built-in roles never change).
var adminRole = store.Role{Key: RoleAdmin, Name: "Admin", Permissions: adminPermissions(), Builtin: true, Rank: rankAdmin}

// MayMakeTokens reports whether the actor may create API and SCIM tokens: a token acts with
// the admin role, so only someone who can do all an admin can may make one.
func (a Actor) MayMakeTokens() bool { return a.Can(PermTokens) && within(adminRole, a.Role) }

func builtinRoles(orgID string, now int64) []store.Role {
	all := allPermissions()
	return []store.Role{
		{ID: store.NewID(), OrgID: orgID, Key: RoleOwner, Name: "Owner", Permissions: all, Builtin: true, Rank: rankOwner, CreatedAt: now},
		{ID: store.NewID(), OrgID: orgID, Key: RoleAdmin, Name: "Admin", Permissions: adminPermissions(), Builtin: true, Rank: rankAdmin, CreatedAt: now},
		{ID: store.NewID(), OrgID: orgID, Key: RoleMember, Name: "Member", Permissions: []string{}, Builtin: true, Rank: rankMember, CreatedAt: now},
	}
}

// Has reports whether a role grants p. Any console permission includes seeing the people
// (members:read): the console opens on them, and inviting, managing teams or approving a
// request all need the roles, teams and people they name.
func Has(r store.Role, p Permission) bool {
	return slices.Contains(r.Permissions, string(p)) || (p == PermMembersRead && len(r.Permissions) > 0)
}

// IsAdminRole reports whether a role grants any console permission.
func IsAdminRole(r store.Role) bool { return len(r.Permissions) > 0 }

// roleByKey resolves a role key, answering unknown_role with the keys that exist.
func roleByKey(ctx context.Context, q store.Q, orgID, key string) (store.Role, error) {
	key = strings.ToLower(strings.TrimSpace(key)) // keys are lower-case; "Admin" means admin
	if key == "" {
		key = RoleMember
	}
	r, err := store.GetRoleByKey(ctx, q, orgID, key)
	if err == store.ErrNotFound {
		return r, errf(CodeUnknownRole, "role", "role %q does not exist; use one of %s", key, roleKeys(ctx, q, orgID))
	}
	return r, err
}

// roleKeys lists the organization's role keys for a message: "owner, admin, member".
func roleKeys(ctx context.Context, q store.Q, orgID string) string {
	roles, _ := store.ListRoles(ctx, q, orgID)
	keys := make([]string, len(roles))
	for i, r := range roles {
		keys[i] = r.Key
	}
	return strings.Join(keys, ", ")
}

// settingRole resolves the role a setting of Lobby's names (scim.role, scim.max_role). One the
// organization lacks is Lobby's misconfiguration, naming the setting, not the caller's mistake.
func settingRole(ctx context.Context, q store.Q, orgID, setting, value string) (store.Role, error) {
	r, err := roleByKey(ctx, q, orgID, value)
	if e, ok := AsError(err); ok && e.Code == CodeUnknownRole {
		return r, errf(CodeMisconfigured, "", "Lobby's setting %s is %q, which is not a role of this organization (use one of %s); "+
			"whoever runs Lobby must change the setting", setting, value, roleKeys(ctx, q, orgID))
	}
	return r, err
}

// within reports whether role r can do nothing that top cannot: it ranks no higher and each
// of its permissions is one top has. Custom roles all share one rank, so rank alone would let
// one custom role hand out another that can do more.
func within(r, top store.Role) bool {
	if r.Rank > top.Rank {
		return false
	}
	for _, p := range r.Permissions {
		if !Has(top, Permission(p)) {
			return false
		}
	}
	return true
}

// rolesByID reads an organization's roles by id.
func rolesByID(ctx context.Context, q store.Q, orgID string) (map[string]store.Role, error) {
	list, err := store.ListRoles(ctx, q, orgID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]store.Role, len(list))
	for _, r := range list {
		out[r.ID] = r
	}
	return out, nil
}

// mayGrant checks that actor may hand out role r: only a role that can do nothing the
// actor's own cannot.
func mayGrant(a Actor, r store.Role) error {
	if r.Key == RoleOwner && !a.Can(PermOwners) {
		return errf(CodeForbidden, "role", "only an owner can make someone an owner")
	}
	if r.Rank > a.Role.Rank {
		return errf(CodeForbidden, "role", "you cannot grant the %s role, which is above your own", r.Name)
	}
	if !within(r, a.Role) {
		return errf(CodeForbidden, "role", "you cannot grant the %s role: it can do things your own role cannot", r.Name)
	}
	return nil
}

// MayGrant reports whether the actor may hand out role r; the console offers only those.
func (a Actor) MayGrant(r store.Role) bool { return mayGrant(a, r) == nil }

// ListRoles returns the organization's roles, highest first.
func (s *Service) ListRoles(ctx context.Context, a Actor) ([]store.Role, error) {
	if err := a.require(PermMembersRead); err != nil {
		return nil, err
	}
	return store.ListRoles(ctx, s.db.R, a.OrgID)
}
