package org

import (
	"cmp"
	"context"
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lobby/lobby/app/store"
)

// SCIMCreateGroup makes a team managed by the identity provider, with the given members (SCIM
// user ids). A name taken by any team of the organization, ignoring case, is a conflict.
// The name is kept as sent (see scimGroupName).
func (s *Service) SCIMCreateGroup(ctx context.Context, a Actor, name, externalID string, members []string) (SCIMGroup, error) {
	if err := a.require(PermTeams); err != nil {
		return SCIMGroup{}, err
	}
	name, err := scimGroupName(name)
	if err != nil {
		return SCIMGroup{}, err
	}
	if err := scimCheckExternalID(externalID); err != nil {
		return SCIMGroup{}, err
	}
	now := s.nowMs()
	t := store.Team{ID: store.NewID(), OrgID: a.OrgID, Name: name, ExternalID: strings.TrimSpace(externalID), Source: "scim",
		CreatedAt: now, UpdatedAt: now}
	var out SCIMGroup
	err = s.tx(ctx, false, func(q store.Q) error {
		if err := store.CreateTeam(ctx, q, t); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return groupNameTaken(ctx, q, a.OrgID, name)
			}
			return err
		}
		add, err := scimMemberIDs(ctx, q, a.OrgID, members)
		if err != nil {
			return err
		}
		if err := store.AddTeamMembers(ctx, q, t.ID, add); err != nil {
			return err
		}
		if err := s.writeAudit(ctx, q, s.audit(a, "team.created", "team", t.ID, map[string]any{"name": name, "source": "scim",
			"external_id": t.ExternalID, "members": len(add)}, now)); err != nil {
			return err
		}
		out, err = s.scimGroup(ctx, q, a.OrgID, t.ID)
		return err
	})
	return out, err
}

// SCIMGroupByID reads one SCIM-managed team of the actor's organization.
func (s *Service) SCIMGroupByID(ctx context.Context, a Actor, id string) (SCIMGroup, error) {
	if err := a.require(PermMembersRead); err != nil {
		return SCIMGroup{}, err
	}
	return s.scimGroup(ctx, s.db.R, a.OrgID, id)
}

// SCIMUpdateGroup applies ch to a SCIM-managed team after checking ifMatch against its version,
// and returns the group as it is now (for PUT, which answers with it).
func (s *Service) SCIMUpdateGroup(ctx context.Context, a Actor, id, ifMatch string, ch SCIMGroupChange) (SCIMGroup, error) {
	return s.scimChangeGroup(ctx, a, id, ifMatch, ch, true)
}

// SCIMPatchGroup is SCIMUpdateGroup for a PATCH, which answers 204: adding or removing some
// members reads only those, so its cost does not grow with the group (a provider syncing a
// group of 10,000 one member at a time would otherwise read all of them twice per request).
func (s *Service) SCIMPatchGroup(ctx context.Context, a Actor, id, ifMatch string, ch SCIMGroupChange) error {
	_, err := s.scimChangeGroup(ctx, a, id, ifMatch, ch, false)
	return err
}

func (s *Service) scimChangeGroup(ctx context.Context, a Actor, id, ifMatch string, ch SCIMGroupChange, answer bool) (SCIMGroup, error) {
	if err := a.require(PermTeams); err != nil {
		return SCIMGroup{}, err
	}
	var out SCIMGroup
	err := s.tx(ctx, false, func(q store.Q) error {
		cur, have, err := s.scimGroupBefore(ctx, q, a.OrgID, id, ifMatch, ch)
		if err != nil {
			return err
		}
		if err := s.scimApplyGroup(ctx, q, a, cur, have, ch); err != nil {
			return err
		}
		if answer {
			out, err = s.scimGroup(ctx, q, a.OrgID, id)
		}
		return err
	})
	return out, err
}

// SCIMDeleteGroup removes a SCIM-managed team; its members stay in the organization.
func (s *Service) SCIMDeleteGroup(ctx context.Context, a Actor, id, ifMatch string) error {
	if err := a.require(PermTeams); err != nil {
		return err
	}
	return s.tx(ctx, false, func(q store.Q) error {
		cur, err := s.scimGroup(ctx, q, a.OrgID, id)
		if err != nil {
			return err
		}
		if err := scimCheckVersion(ifMatch, cur.Version, "group"); err != nil {
			return err
		}
		if err := store.DeleteTeam(ctx, q, a.OrgID, id); err != nil {
			return err
		}
		return s.writeAudit(ctx, q, s.audit(a, "team.deleted", "team", id, map[string]any{"name": cur.Name, "source": "scim"}, s.nowMs()))
	})
}

// scimGroup reads one SCIM-managed team; teams managed in Lobby are not found.
func (s *Service) scimGroup(ctx context.Context, q store.Q, orgID, id string) (SCIMGroup, error) {
	t, err := store.GetTeam(ctx, q, orgID, id)
	if err == nil && t.Source != "scim" {
		err = store.ErrNotFound
	}
	if err != nil {
		return SCIMGroup{}, notFound(err, "group "+id)
	}
	l, err := scimGroups(ctx, q, []store.Team{t}, true)
	if err != nil {
		return SCIMGroup{}, err
	}
	return l[0], nil
}

// scimGroups turns teams into SCIMGroups, with their members unless members is false: then
// only the members' ids are read (the team's own index), for the version, which comes out the
// same either way.
func scimGroups(ctx context.Context, q store.Q, list []store.Team, members bool) ([]SCIMGroup, error) {
	idl := make([]string, len(list))
	for i, t := range list {
		idl[i] = t.ID
	}
	var refs map[string][]store.TeamMemberRef
	var err error
	if members {
		refs, err = store.TeamMemberRefs(ctx, q, idl)
	} else {
		refs, err = store.TeamMemberIDs(ctx, q, idl)
	}
	if err != nil {
		return nil, err
	}
	out := make([]SCIMGroup, len(list))
	for i, t := range list {
		g := SCIMGroup{ID: t.ID, Name: t.Name, ExternalID: t.ExternalID, Members: []SCIMRef{}, Created: t.CreatedAt, Modified: t.UpdatedAt}
		ids := make([]string, 0, len(refs[t.ID]))
		for _, r := range refs[t.ID] {
			if members {
				g.Members = append(g.Members, SCIMRef{ID: r.MembershipID, Display: cmp.Or(r.Name, r.Email)})
			}
			ids = append(ids, r.MembershipID)
		}
		g.Version = scimVersion([]any{g.Name, g.ExternalID, ids})
		out[i] = g
	}
	return out, nil
}

// scimMemberIDs checks that every id names a member of the organization and drops repeats.
func scimMemberIDs(ctx context.Context, q store.Q, orgID string, ids []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	found, err := store.ExistingMemberships(ctx, q, orgID, out)
	if err != nil {
		return nil, err
	}
	for _, id := range out {
		if !found[id] {
			return nil, errf(CodeInvalid, "members", "there is no user with id %q in this organization", id)
		}
	}
	return out, nil
}

// scimGroupName checks a group's displayName and keeps it exactly as sent, so that a provider
// that looks its group up by the name it sent finds it (the console's team names are tidied;
// these are not). Entra ID allows 256 characters.
func scimGroupName(name string) (string, error) {
	if strings.TrimSpace(name) == "" || utf8.RuneCountInString(name) > 256 || !oneLine(name) {
		return "", errf(CodeInvalid, "displayName", "a group name must be 1 to 256 characters, on one line")
	}
	if strings.ContainsFunc(name, unicode.IsControl) || !utf8.ValidString(name) {
		return "", errf(CodeInvalid, "displayName", "a group name cannot hold line breaks or other control characters")
	}
	return name, nil
}

// groupNameTaken explains why a group cannot have name. A team made in Lobby is not shown to
// the provider, so the answer says which team holds the name and what to do about it.
func groupNameTaken(ctx context.Context, q store.Q, orgID, name string) error {
	if t, err := store.GetTeamByName(ctx, q, orgID, name); err == nil && t.Source != "scim" {
		return errf(CodeConflict, "displayName", "%q is the name of a team made in Lobby, which the identity provider cannot "+
			"manage; rename or delete that team in Lobby, or give this group another name", t.Name)
	}
	return errf(CodeConflict, "displayName", "a group named %q already exists", name)
}
