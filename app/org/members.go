package org

import (
	"context"
	"errors"

	"github.com/lobby/lobby/app/store"
)

// MemberView is a membership with its team names.
type MemberView struct {
	store.Membership
	Teams []string
}

// ListMembers returns one page of members.
func (s *Service) ListMembers(ctx context.Context, a Actor, f store.MemberFilter) ([]MemberView, error) {
	if err := a.require(PermMembersRead); err != nil {
		return nil, err
	}
	switch f.Status {
	case "", "active", "deactivated":
	default:
		return nil, errf(CodeInvalid, "status", "status %q is not one of active, deactivated", f.Status)
	}
	var err error
	if f.TeamID, f.RoleKey, err = s.listFilter(ctx, a.OrgID, f.TeamID, f.RoleKey); err != nil {
		return nil, err
	}
	list, err := store.ListMemberships(ctx, s.db.R, a.OrgID, f)
	if err != nil {
		return nil, err
	}
	return s.memberViews(ctx, s.db.R, list)
}

// listFilter resolves a list's team (name or id) and role key, as a list's filters give
// them, to the team's id and the role's key, naming the filter of one that does not exist.
func (s *Service) listFilter(ctx context.Context, orgID, team, role string) (string, string, error) {
	if team != "" {
		teams, err := resolveTeams(ctx, s.db.R, orgID, []string{team})
		if err != nil {
			return "", "", inField(err, "team")
		}
		team = teams[0].ID
	}
	if role != "" {
		r, err := roleByKey(ctx, s.db.R, orgID, role)
		if err != nil {
			return "", "", err
		}
		role = r.Key
	}
	return team, role, nil
}

func (s *Service) memberViews(ctx context.Context, q store.Q, list []store.Membership) ([]MemberView, error) {
	idl := make([]string, len(list))
	for i, m := range list {
		idl[i] = m.ID
	}
	teams, err := store.TeamsOfMemberships(ctx, q, idl)
	if err != nil {
		return nil, err
	}
	out := make([]MemberView, len(list))
	for i, m := range list {
		out[i] = MemberView{Membership: m, Teams: names(teams[m.ID])}
		if out[i].Teams == nil {
			out[i].Teams = []string{}
		}
	}
	return out, nil
}

// Member reads one member of the actor's organization.
func (s *Service) Member(ctx context.Context, a Actor, id string) (MemberView, error) {
	if err := a.require(PermMembersRead); err != nil {
		return MemberView{}, err
	}
	return s.member(ctx, s.db.R, a.OrgID, id)
}

func (s *Service) member(ctx context.Context, q store.Q, orgID, id string) (MemberView, error) {
	m, err := store.GetMembership(ctx, q, orgID, id)
	if err != nil {
		return MemberView{}, notFound(err, "member")
	}
	v, err := s.memberViews(ctx, q, []store.Membership{m})
	if err != nil {
		return MemberView{}, err
	}
	return v[0], nil
}

// MemberEdit changes a member; nil fields stay as they are.
type MemberEdit struct {
	Role   *string
	Teams  *[]string
	Status *string // active | deactivated
}

// UpdateMember changes a member's role, teams or status. Nobody may change someone ranked
// above them, grant a role above their own, or leave the organization without an active owner.
// Reactivating takes a seat.
func (s *Service) UpdateMember(ctx context.Context, a Actor, id string, e MemberEdit) (MemberView, error) {
	if err := a.require(PermMembersManage); err != nil {
		return MemberView{}, err
	}
	err := s.tx(ctx, false, func(q store.Q) error {
		m, role, err := s.memberForChange(ctx, q, a, id)
		if err != nil {
			return err
		}
		now := s.nowMs()
		var entries []store.AuditEntry
		if e.Role != nil && *e.Role != m.RoleKey {
			nr, err := roleByKey(ctx, q, a.OrgID, *e.Role)
			if err != nil {
				return err
			}
			if err := mayGrant(a, nr); err != nil {
				return err
			}
			if role.Key == RoleOwner && m.Status == "active" {
				if err := lastOwnerCheck(ctx, q, a.OrgID, role.ID); err != nil {
					return err
				}
			}
			if err := store.SetMembershipRole(ctx, q, a.OrgID, id, nr.ID, now); err != nil {
				return err
			}
			entries = append(entries, s.audit(a, "member.role_changed", "member", id,
				map[string]any{"email": m.Email, "from": role.Key, "to": nr.Key}, now))
		}
		if e.Teams != nil {
			teams, err := s.keepSCIMTeams(ctx, q, a.OrgID, id, *e.Teams)
			if err != nil {
				return err
			}
			if err := store.SetMembershipTeams(ctx, q, id, ids(teams)); err != nil {
				return err
			}
			entries = append(entries, s.audit(a, "member.teams_changed", "member", id,
				map[string]any{"email": m.Email, "teams": names(teams)}, now))
		}
		if e.Status != nil && *e.Status != m.Status {
			switch *e.Status {
			case "deactivated":
				if role.Key == RoleOwner {
					if err := lastOwnerCheck(ctx, q, a.OrgID, role.ID); err != nil {
						return err
					}
				}
			case "active":
				o, err := store.GetOrg(ctx, q, a.OrgID)
				if err != nil {
					return err
				}
				if err := takeSeat(ctx, q, o, now); err != nil {
					return err
				}
			default:
				return errf(CodeInvalid, "status", "status must be active or deactivated, not %q", *e.Status)
			}
			if err := store.SetMembershipStatus(ctx, q, a.OrgID, id, *e.Status, now); err != nil {
				return err
			}
			action := "member.deactivated"
			if *e.Status == "active" {
				action = "member.reactivated"
			}
			entries = append(entries, s.audit(a, action, "member", id, map[string]any{"email": m.Email}, now))
		}
		return s.writeAudit(ctx, q, entries...)
	})
	if err != nil {
		return MemberView{}, err
	}
	return s.Member(ctx, a, id)
}

// memberForChange loads a member the actor is allowed to change.
func (s *Service) memberForChange(ctx context.Context, q store.Q, a Actor, id string) (store.Membership, store.Role, error) {
	m, err := store.GetMembership(ctx, q, a.OrgID, id)
	if err != nil {
		return m, store.Role{}, notFound(err, "member")
	}
	role, err := store.GetRole(ctx, q, a.OrgID, m.RoleID)
	if err != nil {
		return m, role, err
	}
	if role.Rank > a.Role.Rank || (role.Key == RoleOwner && !a.Can(PermOwners)) {
		return m, role, errf(CodeForbidden, "", "only an owner can change an owner")
	}
	if !within(role, a.Role) {
		return m, role, errf(CodeForbidden, "", "you cannot change %s: their role (%s) can do things your own role cannot", m.Email, role.Name)
	}
	return m, role, nil
}

func lastOwnerCheck(ctx context.Context, q store.Q, orgID, ownerRoleID string) error {
	n, err := store.CountMembersWithRole(ctx, q, orgID, ownerRoleID)
	if err != nil {
		return err
	}
	if n <= 1 {
		return errf(CodeLastOwner, "", "this is the last owner; make someone else an owner first")
	}
	return nil
}

// Deleted reports what deleting a member handed over to the acting admin.
type Deleted struct {
	Invitations int64
	Teams       int64
}

// DeleteImpact is what DeleteMember would hand to the acting person: how many invitations the
// member sent (in any status) and how many teams they own.
func (s *Service) DeleteImpact(ctx context.Context, a Actor, id string) (Deleted, error) {
	var out Deleted
	if err := a.require(PermMembersManage); err != nil {
		return out, err
	}
	m, err := store.GetMembership(ctx, s.db.R, a.OrgID, id)
	if err != nil {
		return out, notFound(err, "member")
	}
	if out.Invitations, err = store.CountInvitationsByInviter(ctx, s.db.R, a.OrgID, m.UserID); err != nil {
		return out, err
	}
	out.Teams, err = store.CountTeamsOwnedBy(ctx, s.db.R, a.OrgID, m.UserID)
	return out, err
}

// DeleteMember removes a member from the organization for good. The invitations they sent and
// the teams they own are handed to the acting person.
func (s *Service) DeleteMember(ctx context.Context, a Actor, id string) (Deleted, error) {
	var out Deleted
	if err := a.require(PermMembersManage); err != nil {
		return out, err
	}
	err := s.tx(ctx, false, func(q store.Q) error {
		m, role, err := s.memberForChange(ctx, q, a, id)
		if err != nil {
			return err
		}
		if role.Key == RoleOwner && m.Status == "active" {
			if err := lastOwnerCheck(ctx, q, a.OrgID, role.ID); err != nil {
				return err
			}
		}
		if out.Invitations, err = store.ReassignInviter(ctx, q, a.OrgID, m.UserID, a.UserID); err != nil {
			return err
		}
		if out.Teams, err = store.ReassignTeamOwner(ctx, q, a.OrgID, m.UserID, a.UserID); err != nil {
			return err
		}
		now := s.nowMs()
		if err := store.DeleteMembership(ctx, q, a.OrgID, id, now); err != nil {
			return err
		}
		return s.writeAudit(ctx, q, s.audit(a, "member.deleted", "member", id, map[string]any{"email": m.Email,
			"invitations_reassigned": out.Invitations, "teams_reassigned": out.Teams}, now))
	})
	if errors.Is(err, store.ErrNotFound) {
		err = errf(CodeNotFound, "", "member was not found")
	}
	return out, err
}

// keepSCIMTeams resolves the teams an admin chose for a member, keeping the member's teams that
// the identity provider manages (the console cannot change those) and refusing to add new ones.
func (s *Service) keepSCIMTeams(ctx context.Context, q store.Q, orgID, memberID string, want []string) ([]store.Team, error) {
	teams, err := resolveTeams(ctx, q, orgID, want)
	if err != nil {
		return nil, err
	}
	current, err := store.TeamsOfMemberships(ctx, q, []string{memberID})
	if err != nil {
		return nil, err
	}
	held := map[string]bool{}
	var out []store.Team
	for _, t := range current[memberID] {
		held[t.ID] = true
		if t.Source == "scim" {
			out = append(out, t)
		}
	}
	for _, t := range teams {
		switch {
		case t.Source != "scim":
			out = append(out, t)
		case !held[t.ID]:
			return nil, errf(CodeSCIMManaged, "teams", "the team %q is managed by your identity provider; add people to it there", t.Name)
		}
	}
	return out, nil
}
