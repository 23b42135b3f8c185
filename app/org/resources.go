package org

import (
	"context"
	"net/url"
	"strings"

	"github.com/lobby/lobby/app/store"
)

// ResourceView is a resource with the teams that grant it: their ids and, in the same order
// (by name), their names.
type ResourceView struct {
	store.Resource
	TeamIDs   []string
	TeamNames []string
}

// Resources lists the organization's resources: the links (products, courses, tools) members
// get through their teams or directly, shown on their dashboard.
func (s *Service) Resources(ctx context.Context, a Actor) ([]ResourceView, error) {
	if err := a.require(PermMembersRead); err != nil {
		return nil, err
	}
	list, err := store.ListResources(ctx, s.db.R, a.OrgID)
	if err != nil {
		return nil, err
	}
	teams, err := store.TeamsOfResources(ctx, s.db.R, a.OrgID)
	if err != nil {
		return nil, err
	}
	out := make([]ResourceView, len(list))
	for i, r := range list {
		out[i] = ResourceView{Resource: r}
		for _, t := range teams[r.ID] {
			out[i].TeamIDs, out[i].TeamNames = append(out[i].TeamIDs, t.ID), append(out[i].TeamNames, t.Name)
		}
	}
	return out, nil
}

// CreateResource adds a link, granted to the given teams (names or ids).
func (s *Service) CreateResource(ctx context.Context, a Actor, name, link, description string, teams []string) (store.Resource, error) {
	if err := a.require(PermTeams); err != nil {
		return store.Resource{}, err
	}
	name, description = strings.TrimSpace(name), strings.TrimSpace(description)
	if name == "" || len([]rune(name)) > 100 || !oneLine(name) {
		return store.Resource{}, errf(CodeInvalid, "name", "a resource name must be 1 to 100 characters, on one line")
	}
	if len([]rune(description)) > 500 {
		return store.Resource{}, errf(CodeInvalid, "description", "the description is longer than 500 characters")
	}
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return store.Resource{}, errf(CodeInvalid, "url", "the link must be a full web address starting with https://")
	}
	now := s.nowMs()
	r := store.Resource{ID: store.NewID(), OrgID: a.OrgID, Name: name, URL: u.String(), Description: description, CreatedAt: now}
	err = s.tx(ctx, false, func(q store.Q) error {
		ts, err := resolveTeams(ctx, q, a.OrgID, teams)
		if err != nil {
			return err
		}
		if err := store.CreateResource(ctx, q, r); err != nil {
			return err
		}
		if err := store.SetResourceTeams(ctx, q, r.ID, ids(ts)); err != nil {
			return err
		}
		return s.writeAudit(ctx, q, s.audit(a, "resource.created", "resource", r.ID, map[string]any{"name": name, "teams": names(ts)}, now))
	})
	return r, err
}

// SetResourceTeams replaces the teams that grant a resource.
func (s *Service) SetResourceTeams(ctx context.Context, a Actor, id string, teams []string) error {
	if err := a.require(PermTeams); err != nil {
		return err
	}
	return s.tx(ctx, false, func(q store.Q) error {
		if err := s.ownResource(ctx, q, a.OrgID, id); err != nil {
			return err
		}
		ts, err := resolveTeams(ctx, q, a.OrgID, teams)
		if err != nil {
			return err
		}
		if err := store.SetResourceTeams(ctx, q, id, ids(ts)); err != nil {
			return err
		}
		return s.writeAudit(ctx, q, s.audit(a, "resource.teams_changed", "resource", id, map[string]any{"teams": names(ts)}, s.nowMs()))
	})
}

// DeleteResource removes a resource from everyone.
func (s *Service) DeleteResource(ctx context.Context, a Actor, id string) error {
	if err := a.require(PermTeams); err != nil {
		return err
	}
	return s.tx(ctx, false, func(q store.Q) error {
		if err := store.DeleteResource(ctx, q, a.OrgID, id); err != nil {
			return notFound(err, "resource")
		}
		return s.writeAudit(ctx, q, s.audit(a, "resource.deleted", "resource", id, nil, s.nowMs()))
	})
}

// GrantResource gives (or, with grant false, takes back) a resource to one member directly.
func (s *Service) GrantResource(ctx context.Context, a Actor, memberID, resourceID string, grant bool) error {
	if err := a.require(PermMembersManage); err != nil {
		return err
	}
	return s.tx(ctx, false, func(q store.Q) error {
		if err := s.ownResource(ctx, q, a.OrgID, resourceID); err != nil {
			return err
		}
		if _, err := store.GetMembership(ctx, q, a.OrgID, memberID); err != nil {
			return notFound(err, "member")
		}
		action := "resource.granted"
		var err error
		if grant {
			err = store.LinkMemberResource(ctx, q, memberID, resourceID)
		} else {
			action = "resource.withdrawn"
			err = notFound(store.UnlinkMemberResource(ctx, q, memberID, resourceID), "that direct grant")
		}
		if err != nil {
			return err
		}
		return s.writeAudit(ctx, q, s.audit(a, action, "member", memberID, map[string]any{"resource": resourceID}, s.nowMs()))
	})
}

// MemberResources lists what a member has: every resource with whether it comes directly.
func (s *Service) MemberResources(ctx context.Context, a Actor, memberID string) ([]store.Resource, map[string]bool, error) {
	if err := a.require(PermMembersRead); err != nil {
		return nil, nil, err
	}
	if _, err := store.GetMembership(ctx, s.db.R, a.OrgID, memberID); err != nil {
		return nil, nil, notFound(err, "member")
	}
	has, err := store.ResourcesOfMembership(ctx, s.db.R, memberID)
	if err != nil {
		return nil, nil, err
	}
	direct, err := store.DirectResources(ctx, s.db.R, memberID)
	return has, direct, err
}

func (s *Service) ownResource(ctx context.Context, q store.Q, orgID, id string) error {
	list, err := store.ListResources(ctx, q, orgID)
	if err != nil {
		return err
	}
	for _, r := range list {
		if r.ID == id {
			return nil
		}
	}
	return errf(CodeNotFound, "", "resource was not found")
}
