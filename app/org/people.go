package org

import (
	"context"

	"github.com/lobby/lobby/app/store"
)

// People returns one page of the console's People list: members and open invitations together.
func (s *Service) People(ctx context.Context, a Actor, f store.PeopleFilter) ([]store.Person, error) {
	if err := a.require(PermMembersRead); err != nil {
		return nil, err
	}
	switch f.Status {
	case "", "active", "deactivated", "pending", "expired", "revoked", "failed", "requested":
	default:
		return nil, errf(CodeInvalid, "status", "status %q is not one a list can show", f.Status)
	}
	var err error
	if f.TeamID, f.RoleKey, err = s.listFilter(ctx, a.OrgID, f.TeamID, f.RoleKey); err != nil {
		return nil, err
	}
	return store.ListPeople(ctx, s.db.R, a.OrgID, f, s.nowMs())
}

// RoleCount is a role with how many active members hold it.
type RoleCount struct {
	store.Role
	Members int64
}

// RolesWithCounts lists the organization's roles and who has each, for the console.
func (s *Service) RolesWithCounts(ctx context.Context, a Actor) ([]RoleCount, error) {
	roles, err := s.ListRoles(ctx, a)
	if err != nil {
		return nil, err
	}
	out := make([]RoleCount, len(roles))
	for i, r := range roles {
		n, err := store.CountMembersWithRole(ctx, s.db.R, a.OrgID, r.ID)
		if err != nil {
			return nil, err
		}
		out[i] = RoleCount{Role: r, Members: n}
	}
	return out, nil
}

// CreateRole makes a custom role from the fixed permission list. Custom roles rank between
// member and admin and can never manage owners.
func (s *Service) CreateRole(ctx context.Context, a Actor, key, name string, perms []string) (store.Role, error) {
	if err := a.require(PermRoles); err != nil {
		return store.Role{}, err
	}
	if !validSlug(key) || key == RoleOwner || key == RoleAdmin || key == RoleMember {
		return store.Role{}, errf(CodeInvalid, "key", "a role key must be 3 to 64 lower-case letters, digits or hyphens, and not a built-in one")
	}
	if name == "" || len([]rune(name)) > 60 || !oneLine(name) {
		return store.Role{}, errf(CodeInvalid, "name", "a role name must be 1 to 60 characters, on one line")
	}
	var clean []string
	for _, p := range perms {
		ok := false
		for _, known := range Permissions {
			if p == string(known) && known != PermOwners {
				ok = true
			}
		}
		if !ok {
			return store.Role{}, errf(CodeInvalid, "permissions", "%q is not a permission a custom role may have", p)
		}
		clean = append(clean, p)
	}
	now := s.nowMs()
	r := store.Role{ID: store.NewID(), OrgID: a.OrgID, Key: key, Name: name, Permissions: clean, Rank: rankCustom, CreatedAt: now}
	if !within(r, a.Role) {
		return store.Role{}, errf(CodeForbidden, "permissions", "you cannot make a role that can do things your own role cannot")
	}
	err := s.tx(ctx, false, func(q store.Q) error {
		if err := store.CreateRole(ctx, q, r); err != nil {
			if isConflict(err) {
				return errf(CodeConflict, "key", "a role with the key %q exists", key)
			}
			return err
		}
		return s.writeAudit(ctx, q, s.audit(a, "role.created", "role", r.ID, map[string]any{"key": key, "permissions": clean}, now))
	})
	return r, err
}

// ViewAs returns a member's dashboard exactly as they see it, for an admin, and records that
// the admin looked.
func (s *Service) ViewAs(ctx context.Context, a Actor, memberID string) (MemberView, []DashboardOrg, error) {
	if err := a.require(PermMembersManage); err != nil {
		return MemberView{}, nil, err
	}
	m, err := s.member(ctx, s.db.R, a.OrgID, memberID)
	if err != nil {
		return m, nil, err
	}
	all, err := s.Dashboard(ctx, m.UserID)
	if err != nil {
		return m, nil, err
	}
	// Only this organization: the admin has no business seeing the person's other memberships.
	var orgs []DashboardOrg
	for _, d := range all {
		if d.Org.ID == a.OrgID {
			orgs = append(orgs, d)
		}
	}
	err = s.tx(ctx, false, func(q store.Q) error {
		return s.writeAudit(ctx, q, s.audit(a, "member.viewed_as", "member", memberID, map[string]any{"email": m.Email}, s.nowMs()))
	})
	return m, orgs, err
}
