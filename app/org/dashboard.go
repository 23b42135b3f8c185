package org

import (
	"context"

	"github.com/lobby/lobby/app/store"
)

// DashboardOrg is one organization on a person's dashboard.
type DashboardOrg struct {
	Org        store.Org
	Membership store.Membership
	Role       store.Role
	Teams      []string
	Resources  []store.Resource
	// Admin is true when the role opens the console.
	Admin bool
	// NoneShared is true when the person has no resources here, may add them (teams:manage)
	// and the organization has none yet: their card says how to share some, not to wait.
	NoneShared bool
}

// Dashboard lists the organizations a person is an active member of, with their role, teams
// and resources.
func (s *Service) Dashboard(ctx context.Context, userID string) ([]DashboardOrg, error) {
	ms, err := store.MembershipsOfUser(ctx, s.db.R, userID)
	if err != nil {
		return nil, err
	}
	var out []DashboardOrg
	var active []store.Membership
	for _, m := range ms {
		if m.Status == "active" {
			active = append(active, m)
		}
	}
	views, err := s.memberViews(ctx, s.db.R, active)
	if err != nil {
		return nil, err
	}
	for _, v := range views {
		o, err := store.GetOrg(ctx, s.db.R, v.OrgID)
		if err != nil {
			return nil, err
		}
		r, err := store.GetRole(ctx, s.db.R, v.OrgID, v.RoleID)
		if err != nil {
			return nil, err
		}
		res, err := store.ResourcesOfMembership(ctx, s.db.R, v.ID)
		if err != nil {
			return nil, err
		}
		d := DashboardOrg{Org: o, Membership: v.Membership, Role: r, Teams: v.Teams, Resources: res, Admin: IsAdminRole(r)}
		if len(res) == 0 && Has(r, PermTeams) {
			has, err := store.HasResources(ctx, s.db.R, o.ID)
			if err != nil {
				return nil, err
			}
			d.NoneShared = !has
		}
		out = append(out, d)
	}
	return out, nil
}

// WaitingJoinRequests returns the organizations the person asked to join whose admins have
// not decided yet, oldest request first, leaving out organizations they are in already (an
// invitation may have let them in since).
func (s *Service) WaitingJoinRequests(ctx context.Context, u store.User) ([]store.Org, error) {
	reqs, err := store.WaitingJoinRequests(ctx, s.db.R, u.EmailNorm)
	if err != nil {
		return nil, err
	}
	var out []store.Org
	for _, r := range reqs {
		if m, err := store.GetMembershipByUser(ctx, s.db.R, r.OrgID, u.ID); err == nil && m.Status == "active" {
			continue
		}
		o, err := store.GetOrg(ctx, s.db.R, r.OrgID)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// ActorFor makes the Actor of a signed-in person in one organization, or fails with
// forbidden when they are not an active member.
func (s *Service) ActorFor(ctx context.Context, u store.User, orgID, sessionRef string) (Actor, error) {
	m, err := store.GetMembershipByUser(ctx, s.db.R, orgID, u.ID)
	if err != nil || m.Status != "active" {
		return Actor{}, errf(CodeForbidden, "", "you are not an active member of this organization")
	}
	r, err := store.GetRole(ctx, s.db.R, orgID, m.RoleID)
	if err != nil {
		return Actor{}, err
	}
	a := userActor(u, orgID)
	a.Role, a.Session = r, sessionRef
	return a, nil
}
