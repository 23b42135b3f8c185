package org

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/lobby/lobby/app/store"
)

// importRules checks the role and teams a row names against the organization as it stands;
// the preview and every chunk of a commit load their own.
type importRules struct {
	a      Actor
	o      store.Org
	roles  map[string]store.Role // by key and by lower-cased name
	keys   []string
	teams  map[string]store.Team     // by TeamKey
	create bool                      // unknown teams are to be created rather than refused
	res    map[string]store.Resource // by lower-cased name and by id
}

func loadImportRules(ctx context.Context, q store.Q, a Actor, o store.Org, create bool) (*importRules, error) {
	roles, err := store.ListRoles(ctx, q, o.ID)
	if err != nil {
		return nil, err
	}
	teams, err := store.ListTeams(ctx, q, o.ID)
	if err != nil {
		return nil, err
	}
	resources, err := store.ListResources(ctx, q, o.ID)
	if err != nil {
		return nil, err
	}
	r := &importRules{a: a, o: o, roles: map[string]store.Role{}, teams: map[string]store.Team{}, create: create,
		res: map[string]store.Resource{}}
	for _, x := range resources {
		r.res[strings.ToLower(x.Name)], r.res[x.ID] = x, x
	}
	for _, role := range roles {
		r.keys = append(r.keys, role.Key)
		r.roles[strings.ToLower(role.Name)] = role
	}
	for _, role := range roles { // keys win over names
		r.roles[role.Key] = role
	}
	for _, t := range teams {
		r.teams[store.TeamKey(t.Name)] = t
	}
	return r, nil
}

// rowPlan is what a row becomes: its role and teams, the teams still to create, or the outcome
// and message that keep it from being invited.
type rowPlan struct {
	role      store.Role
	teams     []store.Team
	resources []store.Resource
	missing   []string // team names to create first (only with create)
	outcome   string   // empty when the row may be invited
	message   string
}

// check resolves a row's role cell (empty: the organization's default role), team cells and
// resource cells.
func (r *importRules) check(roleCell string, teamCells, resourceCells []string) rowPlan {
	key := strings.ToLower(strings.TrimSpace(roleCell))
	if key == "" {
		key = cmp.Or(r.o.DefaultRole, RoleMember)
	}
	role, ok := r.roles[key]
	if !ok {
		return rowPlan{outcome: OutcomeUnknownRole, message: fmt.Sprintf("role %q does not exist; use one of %s",
			strings.TrimSpace(roleCell), strings.Join(r.keys, ", "))}
	}
	if err := mayGrant(r.a, role); err != nil {
		return rowPlan{outcome: OutcomeRoleNotAllowed, message: err.Error()}
	}
	p := rowPlan{role: role}
	for _, cell := range resourceCells {
		name := strings.TrimSpace(cell)
		if name == "" {
			continue
		}
		x, ok := r.res[strings.ToLower(name)]
		if !ok {
			return rowPlan{outcome: OutcomeUnknownResource, message: fmt.Sprintf("the resource %q does not exist; add it in the console first", name)}
		}
		p.resources = append(p.resources, x)
	}
	var unknown []string
	seen := map[string]bool{}
	for _, name := range teamCells {
		key := store.TeamKey(name)
		if key == "" || seen[key] {
			continue
		}
		seen[key] = true
		if t, ok := r.teams[key]; ok {
			p.teams = append(p.teams, t)
			continue
		}
		clean, err := validTeamName(name)
		switch {
		case err != nil:
			return rowPlan{outcome: OutcomeUnknownTeam, message: fmt.Sprintf("the team name %q is longer than 100 characters", name)}
		case r.create:
			p.missing = append(p.missing, clean)
		default:
			unknown = append(unknown, fmt.Sprintf("%q", clean))
		}
	}
	switch {
	case len(unknown) == 1:
		return rowPlan{outcome: OutcomeUnknownTeam, message: "there is no team " + unknown[0] + "; create it first, or import again and let the import create missing teams"}
	case len(unknown) > 1:
		return rowPlan{outcome: OutcomeUnknownTeam, message: "there are no teams " + strings.Join(unknown, ", ") + "; create them first, or import again and let the import create missing teams"}
	case r.o.RequireTeam && len(p.teams)+len(p.missing) == 0:
		return rowPlan{outcome: OutcomeTeamRequired, message: r.o.Name + " requires every invitation to name at least one team"}
	}
	return p
}

// createMissing creates the teams of a plan that do not exist yet inside the transaction q and
// adds them to the plan, returning the names it created.
func (s *Service) createMissing(ctx context.Context, q store.Q, r *importRules, p *rowPlan, now int64) ([]string, error) {
	var created []string
	for _, name := range p.missing {
		key := store.TeamKey(name)
		t, ok := r.teams[key]
		if !ok {
			t = store.Team{ID: store.NewID(), OrgID: r.o.ID, Name: name, Source: "admin", OwnerUserID: r.a.UserID,
				CreatedAt: now, UpdatedAt: now}
			if err := store.CreateTeam(ctx, q, t); err != nil {
				return nil, err
			}
			if err := s.writeAudit(ctx, q, s.audit(r.a, "team.created", "team", t.ID, map[string]any{"name": name, "by": "import"}, now)); err != nil {
				return nil, err
			}
			r.teams[key] = t
			created = append(created, name)
		}
		p.teams = append(p.teams, t)
	}
	p.missing = nil
	return created, nil
}
