package store

import (
	"context"
	"database/sql"
	"strings"
)

// Team is a named group of members inside one organization.
type Team struct {
	ID, OrgID, Name string
	ExternalID      string
	Source          string // admin | scim
	OwnerUserID     string
	CreatedAt       int64
	UpdatedAt       int64
	// MemberCount is filled by ListTeams.
	MemberCount int
}

// TeamKey is the form team names are compared in: trimmed and lower-cased.
func TeamKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

const teamColumns = `t.id, t.org_id, CAST(t.name AS BLOB), t.external_id, t.source, t.owner_user_id, t.created_at, t.updated_at`

func scanTeam(s scanner, extra ...any) (Team, error) {
	var t Team
	var owner sql.NullString
	dest := append([]any{&t.ID, &t.OrgID, &t.Name, &t.ExternalID, &t.Source, &owner, &t.CreatedAt, &t.UpdatedAt}, extra...)
	if err := s.Scan(dest...); err != nil {
		return t, notFound(err)
	}
	t.OwnerUserID = owner.String
	return t, nil
}

// CreateTeam inserts a team; a name taken in the organization (ignoring case) is ErrConflict.
func CreateTeam(ctx context.Context, q Q, t Team) error {
	_, err := q.ExecContext(ctx, `INSERT INTO teams (id, org_id, name, name_norm, external_id, source, owner_user_id,
 created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.OrgID, t.Name, TeamKey(t.Name), t.ExternalID, t.Source, strArg(t.OwnerUserID), t.CreatedAt, t.UpdatedAt)
	if isUnique(err) {
		return ErrConflict
	}
	return err
}

// GetTeam reads a team by id within an organization.
func GetTeam(ctx context.Context, q Q, orgID, id string) (Team, error) {
	return scanTeam(q.QueryRowContext(ctx, `SELECT `+teamColumns+` FROM teams t WHERE t.org_id = ? AND t.id = ?`, orgID, id))
}

// GetTeamByName reads the team of an organization whose name is name, ignoring case and
// surrounding space (TeamKey).
func GetTeamByName(ctx context.Context, q Q, orgID, name string) (Team, error) {
	return scanTeam(q.QueryRowContext(ctx, `SELECT `+teamColumns+` FROM teams t WHERE t.org_id = ? AND t.name_norm = ?`, orgID, TeamKey(name)))
}

// ListTeams returns all of an organization's teams by name with their member counts.
func ListTeams(ctx context.Context, q Q, orgID string) ([]Team, error) {
	return queryTeamCounts(ctx, q, `WHERE t.org_id = ? ORDER BY t.name_norm`, orgID)
}

// GetTeamWithCount reads a team by id within an organization, with its member count.
func GetTeamWithCount(ctx context.Context, q Q, orgID, id string) (Team, error) {
	list, err := queryTeamCounts(ctx, q, `WHERE t.org_id = ? AND t.id = ?`, orgID, id)
	if err != nil {
		return Team{}, err
	}
	if len(list) == 0 {
		return Team{}, ErrNotFound
	}
	return list[0], nil
}

// ListTeamsPage returns one page of an organization's teams by name with their member counts.
// Teams are ordered by name, not by id, so p.Cursor is the TeamKey of the last team of the
// previous page: a team renamed or deleted meanwhile does not lose the reader's place.
func ListTeamsPage(ctx context.Context, q Q, orgID string, p Page) ([]Team, error) {
	p = p.Normalise()
	return queryTeamCounts(ctx, q, `WHERE t.org_id = ? AND t.name_norm > ? ORDER BY t.name_norm LIMIT ?`,
		orgID, p.Cursor, p.sqlLimit())
}

func queryTeamCounts(ctx context.Context, q Q, tail string, args ...any) ([]Team, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+teamColumns+`, (SELECT count(*) FROM team_members tm WHERE tm.team_id = t.id)
 FROM teams t `+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Team{}
	for rows.Next() {
		var n int
		t, err := scanTeam(rows, &n)
		if err != nil {
			return nil, err
		}
		t.MemberCount = n
		out = append(out, t)
	}
	return out, rows.Err()
}

// RenameTeam changes a team's name.
func RenameTeam(ctx context.Context, q Q, orgID, id, name string, now int64) error {
	_, err := q.ExecContext(ctx, `UPDATE teams SET name = ?, name_norm = ?, updated_at = ? WHERE org_id = ? AND id = ?`,
		name, TeamKey(name), now, orgID, id)
	if isUnique(err) {
		return ErrConflict
	}
	return err
}

// DeleteTeam removes a team and its member links.
func DeleteTeam(ctx context.Context, q Q, orgID, id string) error {
	return affectedOne(q.ExecContext(ctx, `DELETE FROM teams WHERE org_id = ? AND id = ?`, orgID, id))
}

// AddTeamMember puts a membership in a team; adding twice is harmless.
func AddTeamMember(ctx context.Context, q Q, teamID, membershipID string) error {
	_, err := JoinTeam(ctx, q, teamID, membershipID)
	return err
}

// JoinTeam puts a membership in a team and reports whether it was not in it already.
func JoinTeam(ctx context.Context, q Q, teamID, membershipID string) (bool, error) {
	res, err := q.ExecContext(ctx, `INSERT INTO team_members (team_id, membership_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
		teamID, membershipID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RemoveTeamMember takes a membership out of a team.
func RemoveTeamMember(ctx context.Context, q Q, teamID, membershipID string) error {
	return affectedOne(q.ExecContext(ctx, `DELETE FROM team_members WHERE team_id = ? AND membership_id = ?`, teamID, membershipID))
}

// SetMembershipTeams replaces the teams of a membership.
func SetMembershipTeams(ctx context.Context, q Q, membershipID string, teamIDs []string) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM team_members WHERE membership_id = ?`, membershipID); err != nil {
		return err
	}
	for _, id := range teamIDs {
		if err := AddTeamMember(ctx, q, id, membershipID); err != nil {
			return err
		}
	}
	return nil
}

// TeamsOfMemberships maps each given membership id to its teams, sorted by name.
func TeamsOfMemberships(ctx context.Context, q Q, ids []string) (map[string][]Team, error) {
	return teamsOf(ctx, q, `SELECT tm.membership_id, `+teamColumns+` FROM team_members tm JOIN teams t ON t.id = tm.team_id
 WHERE tm.membership_id IN (%s) ORDER BY t.name_norm`, ids)
}

// teamsOf runs a query whose first column is the owner id, in chunks of 500 ids.
func teamsOf(ctx context.Context, q Q, query string, ids []string) (map[string][]Team, error) {
	out := map[string][]Team{}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := q.QueryContext(ctx, strings.Replace(query, "%s", placeholders(len(chunk)), 1), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var owner string
			t, err := scanTeam(rowsFirst{rows, &owner})
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[owner] = append(out[owner], t)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// rowsFirst scans one leading column before the ones scanTeam asks for.
type rowsFirst struct {
	s     scanner
	first any
}

func (r rowsFirst) Scan(dest ...any) error { return r.s.Scan(append([]any{r.first}, dest...)...) }

// CountTeamsOwnedBy is how many teams of an organization one person owns.
func CountTeamsOwnedBy(ctx context.Context, q Q, orgID, userID string) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM teams WHERE org_id = ? AND owner_user_id = ?`, orgID, userID).Scan(&n)
	return n, err
}

// ReassignTeamOwner hands the teams owned by one person to another (or to nobody).
func ReassignTeamOwner(ctx context.Context, q Q, orgID, fromUserID, toUserID string) (int64, error) {
	res, err := q.ExecContext(ctx, `UPDATE teams SET owner_user_id = ? WHERE org_id = ? AND owner_user_id = ?`,
		strArg(toUserID), orgID, fromUserID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
