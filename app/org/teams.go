package org

import (
	"context"
	"errors"
	"strings"

	"github.com/lobby/lobby/app/store"
)

// ListTeams returns the organization's teams with member counts.
func (s *Service) ListTeams(ctx context.Context, a Actor) ([]store.Team, error) {
	if err := a.require(PermMembersRead); err != nil {
		return nil, err
	}
	return store.ListTeams(ctx, s.db.R, a.OrgID)
}

// Team reads one team of the organization with its member count.
func (s *Service) Team(ctx context.Context, a Actor, id string) (store.Team, error) {
	if err := a.require(PermMembersRead); err != nil {
		return store.Team{}, err
	}
	t, err := store.GetTeamWithCount(ctx, s.db.R, a.OrgID, id)
	if err != nil {
		return store.Team{}, notFound(err, "team")
	}
	return t, nil
}

// TeamsPage returns one page of the organization's teams by name; p.Cursor is the
// store.TeamKey of the last team of the previous page.
func (s *Service) TeamsPage(ctx context.Context, a Actor, p store.Page) ([]store.Team, error) {
	if err := a.require(PermMembersRead); err != nil {
		return nil, err
	}
	return store.ListTeamsPage(ctx, s.db.R, a.OrgID, p)
}

func validTeamName(name string) (string, error) {
	name = strings.Join(strings.Fields(name), " ")
	if name == "" || len([]rune(name)) > 100 || !oneLine(name) {
		return "", errf(CodeInvalid, "name", "a team name must be 1 to 100 characters, on one line")
	}
	return name, nil
}

// CreateTeam makes a team managed in Lobby.
func (s *Service) CreateTeam(ctx context.Context, a Actor, name string) (store.Team, error) {
	if err := a.require(PermTeams); err != nil {
		return store.Team{}, err
	}
	name, err := validTeamName(name)
	if err != nil {
		return store.Team{}, err
	}
	now := s.nowMs()
	t := store.Team{ID: store.NewID(), OrgID: a.OrgID, Name: name, Source: "admin", OwnerUserID: a.UserID, CreatedAt: now, UpdatedAt: now}
	err = s.tx(ctx, false, func(q store.Q) error {
		if err := store.CreateTeam(ctx, q, t); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return errf(CodeConflict, "name", "a team named %q already exists", name)
			}
			return err
		}
		return s.writeAudit(ctx, q, s.audit(a, "team.created", "team", t.ID, map[string]any{"name": name}, now))
	})
	return t, err
}

// teamForChange loads a team that Lobby may change (not one managed by SCIM).
func teamForChange(ctx context.Context, q store.Q, orgID, id string) (store.Team, error) {
	t, err := store.GetTeam(ctx, q, orgID, id)
	if err != nil {
		return t, notFound(err, "team")
	}
	if t.Source == "scim" {
		return t, errf(CodeSCIMManaged, "", "the team %q is managed by your identity provider; change it there", t.Name)
	}
	return t, nil
}

// RenameTeam changes a team's name.
func (s *Service) RenameTeam(ctx context.Context, a Actor, id, name string) (store.Team, error) {
	if err := a.require(PermTeams); err != nil {
		return store.Team{}, err
	}
	name, err := validTeamName(name)
	if err != nil {
		return store.Team{}, err
	}
	var t store.Team
	err = s.tx(ctx, false, func(q store.Q) error {
		if t, err = teamForChange(ctx, q, a.OrgID, id); err != nil {
			return err
		}
		now := s.nowMs()
		if err := store.RenameTeam(ctx, q, a.OrgID, id, name, now); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return errf(CodeConflict, "name", "a team named %q already exists", name)
			}
			return err
		}
		old := t.Name
		t.Name = name
		return s.writeAudit(ctx, q, s.audit(a, "team.renamed", "team", id, map[string]any{"from": old, "to": name}, now))
	})
	return t, err
}

// DeleteTeam removes a team; its members stay in the organization.
func (s *Service) DeleteTeam(ctx context.Context, a Actor, id string) error {
	if err := a.require(PermTeams); err != nil {
		return err
	}
	return s.tx(ctx, false, func(q store.Q) error {
		t, err := teamForChange(ctx, q, a.OrgID, id)
		if err != nil {
			return err
		}
		if err := store.DeleteTeam(ctx, q, a.OrgID, id); err != nil {
			return err
		}
		return s.writeAudit(ctx, q, s.audit(a, "team.deleted", "team", id, map[string]any{"name": t.Name}, s.nowMs()))
	})
}

// SetTeamMember adds (in=true) or removes a member from a team. Adding someone already in it
// changes nothing and writes no audit entry (PUT is idempotent).
func (s *Service) SetTeamMember(ctx context.Context, a Actor, teamID, memberID string, in bool) error {
	if err := a.require(PermTeams); err != nil {
		return err
	}
	return s.tx(ctx, false, func(q store.Q) error {
		t, err := teamForChange(ctx, q, a.OrgID, teamID)
		if err != nil {
			return err
		}
		m, err := store.GetMembership(ctx, q, a.OrgID, memberID)
		if err != nil {
			return notFound(err, "member")
		}
		action := "team.member_added"
		if in {
			var added bool
			if added, err = store.JoinTeam(ctx, q, t.ID, m.ID); err == nil && !added {
				return nil
			}
		} else {
			action = "team.member_removed"
			if err = store.RemoveTeamMember(ctx, q, t.ID, m.ID); errors.Is(err, store.ErrNotFound) {
				err = errf(CodeNotFound, "", "%s is not in the team %q", m.Email, t.Name)
			}
		}
		if err != nil {
			return err
		}
		return s.writeAudit(ctx, q, s.audit(a, action, "team", t.ID, map[string]any{"team": t.Name, "member": m.ID, "email": m.Email}, s.nowMs()))
	})
}
