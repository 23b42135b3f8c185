package store

import (
	"context"
	"fmt"
	"strings"
)

// ListSCIMTeams returns one page of an organization's SCIM-managed teams that match c, in the
// order s, after skipping offset of them, with the number that match in all. A limit of 0 only counts.
func ListSCIMTeams(ctx context.Context, q Q, orgID string, c *SCIMCond, s SCIMSort, offset, limit int) ([]Team, int, error) {
	where, args, err := scimTeamTable.where(c)
	if err != nil {
		return nil, 0, err
	}
	order, err := scimTeamTable.orderBy(s, "t.id")
	if err != nil {
		return nil, 0, err
	}
	args = append([]any{orgID}, args...)
	out := []Team{}
	if limit > 0 {
		rows, err := q.QueryContext(ctx, `SELECT `+teamColumns+` FROM teams t WHERE t.org_id = ? AND t.source = 'scim' AND `+where+
			` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(args, limit, offset)...)
		if err != nil {
			return nil, 0, err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanTeam(rows)
			if err != nil {
				return nil, 0, err
			}
			out = append(out, t)
		}
		if err := rows.Err(); err != nil {
			return nil, 0, err
		}
		// A first page that is not full holds every match: no need to count them.
		if offset == 0 && len(out) < limit {
			return out, len(out), nil
		}
	}
	var total int
	err = q.QueryRowContext(ctx, `SELECT count(*) FROM teams t WHERE t.org_id = ? AND t.source = 'scim' AND `+where, args...).Scan(&total)
	return out, total, err
}

// TeamMemberRef is one member of a team as a list of members shows it.
type TeamMemberRef struct {
	MembershipID, Email, Name string
}

// TeamMemberRefs maps each given team id to its members in membership order.
func TeamMemberRefs(ctx context.Context, q Q, teamIDs []string) (map[string][]TeamMemberRef, error) {
	return teamMembers(ctx, q, teamIDs, `SELECT tm.team_id, m.id, u.email, u.name FROM team_members tm
 JOIN memberships m ON m.id = tm.membership_id JOIN users u ON u.id = m.user_id
 WHERE tm.team_id IN (%s) ORDER BY tm.team_id, m.id`)
}

// TeamMemberIDs is TeamMemberRefs with the membership ids alone, in the same order, read
// from the team members' own index without touching members or accounts.
func TeamMemberIDs(ctx context.Context, q Q, teamIDs []string) (map[string][]TeamMemberRef, error) {
	return teamMembers(ctx, q, teamIDs, `SELECT team_id, membership_id, '', '' FROM team_members
 WHERE team_id IN (%s) ORDER BY team_id, membership_id`)
}

// teamMembers runs query (team id, membership id, email, name; %s for the team ids'
// placeholders) for the teams, 500 at a time.
func teamMembers(ctx context.Context, q Q, teamIDs []string, query string) (map[string][]TeamMemberRef, error) {
	out := map[string][]TeamMemberRef{}
	for start := 0; start < len(teamIDs); start += 500 {
		chunk := teamIDs[start:min(start+500, len(teamIDs))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := q.QueryContext(ctx, fmt.Sprintf(query, placeholders(len(chunk))), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var team string
			var r TeamMemberRef
			if err := rows.Scan(&team, &r.MembershipID, &r.Email, &r.Name); err != nil {
				rows.Close()
				return nil, err
			}
			out[team] = append(out[team], r)
		}
		err = rows.Err() // Close reports only closing; a failed Next is here
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ExistingMemberships returns which of the given membership ids belong to the organization.
func ExistingMemberships(ctx context.Context, q Q, orgID string, ids []string) (map[string]bool, error) {
	return idsAmong(ctx, q, `SELECT id FROM memberships WHERE org_id = ? AND id IN (%s)`, orgID, ids)
}

// TeamMembersAmong tells which of the memberships ids belong to the team.
func TeamMembersAmong(ctx context.Context, q Q, teamID string, ids []string) (map[string]bool, error) {
	return idsAmong(ctx, q, `SELECT membership_id FROM team_members WHERE team_id = ? AND membership_id IN (%s)`, teamID, ids)
}

// idsAmong runs query (one id column; its one argument first, then %s for the ids'
// placeholders) for the ids, 500 at a time, and returns the ids it found.
func idsAmong(ctx context.Context, q Q, query string, first any, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := []any{first}
		for _, id := range chunk {
			args = append(args, id)
		}
		rows, err := q.QueryContext(ctx, fmt.Sprintf(query, placeholders(len(chunk))), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = true
		}
		err = rows.Err() // Close reports only closing; a failed Next is here
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// RemoveTeamMembers takes the given memberships out of a team and says how many were in it.
func RemoveTeamMembers(ctx context.Context, q Q, teamID string, ids []string) (int64, error) {
	var n int64
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := []any{teamID}
		for _, id := range chunk {
			args = append(args, id)
		}
		res, err := q.ExecContext(ctx, `DELETE FROM team_members WHERE team_id = ? AND membership_id IN (`+placeholders(len(chunk))+`)`, args...)
		if err != nil {
			return n, err
		}
		k, err := res.RowsAffected()
		if err != nil {
			return n, err
		}
		n += k
	}
	return n, nil
}

// AddTeamMembers puts the given memberships in a team; ones already in it stay.
func AddTeamMembers(ctx context.Context, q Q, teamID string, ids []string) error {
	for start := 0; start < len(ids); start += 400 {
		chunk := ids[start:min(start+400, len(ids))]
		args := make([]any, 0, 2*len(chunk))
		vals := make([]string, len(chunk))
		for i, id := range chunk {
			vals[i] = "(?, ?)"
			args = append(args, teamID, id)
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO team_members (team_id, membership_id) VALUES `+strings.Join(vals, ", ")+
			` ON CONFLICT DO NOTHING`, args...); err != nil {
			return err
		}
	}
	return nil
}

// SetTeamSCIM stores a SCIM team's name and externalId and moves its updated_at. A name taken in
// the organization (ignoring case) is ErrConflict.
func SetTeamSCIM(ctx context.Context, q Q, orgID, id, name, externalID string, now int64) error {
	err := affectedOne(q.ExecContext(ctx, `UPDATE teams SET name = ?, name_norm = ?, external_id = ?, updated_at = ?
 WHERE org_id = ? AND id = ?`, name, TeamKey(name), externalID, now, orgID, id))
	if isUnique(err) {
		return ErrConflict
	}
	return err
}
