package org

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"

	"github.com/lobby/lobby/app/store"
)

// scimGroupBefore reads what a change needs of a group: the whole group when the version is
// to be checked or the change replaces or clears the members, else the team and which of the
// members the change names belong to it already.
func (s *Service) scimGroupBefore(ctx context.Context, q store.Q, orgID, id, ifMatch string, ch SCIMGroupChange) (SCIMGroup, map[string]bool, error) {
	whole := strings.Trim(strings.TrimSpace(ifMatch), "*") != ""
	var named []string
	for _, op := range ch.Members {
		whole = whole || op.Op == "replace" || (op.Op == "remove" && op.IDs == nil)
		for _, m := range op.IDs {
			named = append(named, strings.TrimSpace(m))
		}
	}
	if whole {
		cur, err := s.scimGroup(ctx, q, orgID, id)
		if err != nil {
			return cur, nil, err
		}
		if err := scimCheckVersion(ifMatch, cur.Version, "group"); err != nil {
			return cur, nil, err
		}
		have := map[string]bool{}
		for _, m := range cur.Members {
			have[m.ID] = true
		}
		return cur, have, nil
	}
	t, err := store.GetTeam(ctx, q, orgID, id)
	if err == nil && t.Source != "scim" {
		err = store.ErrNotFound
	}
	if err != nil {
		return SCIMGroup{}, nil, notFound(err, "group "+id)
	}
	have, err := store.TeamMembersAmong(ctx, q, id, named)
	return SCIMGroup{ID: t.ID, Name: t.Name, ExternalID: t.ExternalID}, have, err
}

// scimApplyGroup applies ch to the group cur. have tells, for every member ch names at least
// (for every member when ch replaces or clears them), whether it is in the group now.
func (s *Service) scimApplyGroup(ctx context.Context, q store.Q, a Actor, cur SCIMGroup, have map[string]bool, ch SCIMGroupChange) error {
	now := s.nowMs()
	var entries []store.AuditEntry
	name, ext := cur.Name, cur.ExternalID
	if ch.Name != nil {
		n, err := scimGroupName(*ch.Name)
		if err != nil {
			return err
		}
		name = n
	}
	if ch.ExternalID != nil {
		if err := scimCheckExternalID(*ch.ExternalID); err != nil {
			return err
		}
		ext = strings.TrimSpace(*ch.ExternalID)
	}
	if name != cur.Name || ext != cur.ExternalID {
		if err := store.SetTeamSCIM(ctx, q, a.OrgID, cur.ID, name, ext, now); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return groupNameTaken(ctx, q, a.OrgID, name)
			}
			return err
		}
		if name != cur.Name {
			entries = append(entries, s.audit(a, "team.renamed", "team", cur.ID, map[string]any{"from": cur.Name, "to": name}, now))
		}
	}
	want := maps.Clone(have)
	for _, op := range ch.Members {
		switch op.Op {
		case "remove":
			if op.IDs == nil {
				clear(want)
			}
			for _, id := range op.IDs {
				delete(want, strings.TrimSpace(id))
			}
		case "add", "replace":
			ids, err := scimMemberIDs(ctx, q, a.OrgID, op.IDs)
			if err != nil {
				return err
			}
			if op.Op == "replace" {
				clear(want)
			}
			for _, id := range ids {
				want[id] = true
			}
		default:
			return errf(CodeInvalid, "op", "a member operation is add, remove or replace, not %q", op.Op)
		}
	}
	var added, removed []string
	for id := range want {
		if !have[id] {
			added = append(added, id)
		}
	}
	for id := range have {
		if !want[id] {
			removed = append(removed, id)
		}
	}
	if len(added)+len(removed) > 0 {
		slices.Sort(added)
		slices.Sort(removed)
		if err := store.AddTeamMembers(ctx, q, cur.ID, added); err != nil {
			return err
		}
		if _, err := store.RemoveTeamMembers(ctx, q, cur.ID, removed); err != nil {
			return err
		}
		if err := store.SetTeamSCIM(ctx, q, a.OrgID, cur.ID, name, ext, now); err != nil {
			return err
		}
		entries = append(entries, s.audit(a, "team.members_changed", "team", cur.ID, map[string]any{"team": name,
			"added": added, "removed": removed}, now))
	}
	return s.writeAudit(ctx, q, entries...)
}
