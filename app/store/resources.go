package store

import (
	"context"
	"strings"
)

// Resource is a link a person gets through a team or directly: a product, a course, a tool.
type Resource struct {
	ID, OrgID, Name, URL, Description string
	CreatedAt                         int64
}

// CreateResource inserts a resource.
func CreateResource(ctx context.Context, q Q, r Resource) error {
	_, err := q.ExecContext(ctx, `INSERT INTO resources (id, org_id, name, url, description, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		r.ID, r.OrgID, r.Name, r.URL, r.Description, r.CreatedAt)
	return err
}

// linkTeamResource grants a resource to every member of a team.
func linkTeamResource(ctx context.Context, q Q, teamID, resourceID string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO team_resources (team_id, resource_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, teamID, resourceID)
	return err
}

// LinkMemberResource grants a resource to one member.
func LinkMemberResource(ctx context.Context, q Q, membershipID, resourceID string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO membership_resources (membership_id, resource_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
		membershipID, resourceID)
	return err
}

// resourceSelect reads name and description as BLOB so date-like text survives the driver.
const resourceSelect = `SELECT r.id, r.org_id, CAST(r.name AS BLOB), r.url, CAST(r.description AS BLOB), r.created_at FROM resources r`

// ResourcesOfMembership lists the resources a member has, through their teams or directly.
func ResourcesOfMembership(ctx context.Context, q Q, membershipID string) ([]Resource, error) {
	return queryResources(ctx, q, resourceSelect+`
 WHERE r.id IN (SELECT tr.resource_id FROM team_resources tr JOIN team_members tm ON tm.team_id = tr.team_id WHERE tm.membership_id = ?)
    OR r.id IN (SELECT resource_id FROM membership_resources WHERE membership_id = ?)
 ORDER BY lower(r.name)`, membershipID, membershipID)
}

// ListResources lists an organization's resources by name.
func ListResources(ctx context.Context, q Q, orgID string) ([]Resource, error) {
	return queryResources(ctx, q, resourceSelect+` WHERE r.org_id = ? ORDER BY lower(r.name)`, orgID)
}

// HasResources reports whether an organization has any resource.
func HasResources(ctx context.Context, q Q, orgID string) (bool, error) {
	var has bool
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM resources WHERE org_id = ?)`, orgID).Scan(&has)
	return has, err
}

func queryResources(ctx context.Context, q Q, query string, args ...any) ([]Resource, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Resource{}
	for rows.Next() {
		var r Resource
		if err := rows.Scan(&r.ID, &r.OrgID, &r.Name, &r.URL, &r.Description, &r.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// DeleteResource removes a resource and every grant of it.
func DeleteResource(ctx context.Context, q Q, orgID, id string) error {
	return affectedOne(q.ExecContext(ctx, `DELETE FROM resources WHERE org_id = ? AND id = ?`, orgID, id))
}

// SetResourceTeams replaces the teams that grant a resource.
func SetResourceTeams(ctx context.Context, q Q, resourceID string, teamIDs []string) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM team_resources WHERE resource_id = ?`, resourceID); err != nil {
		return err
	}
	for _, t := range teamIDs {
		if err := linkTeamResource(ctx, q, t, resourceID); err != nil {
			return err
		}
	}
	return nil
}

// UnlinkMemberResource takes a directly granted resource from a member.
func UnlinkMemberResource(ctx context.Context, q Q, membershipID, resourceID string) error {
	return affectedOne(q.ExecContext(ctx, `DELETE FROM membership_resources WHERE membership_id = ? AND resource_id = ?`, membershipID, resourceID))
}

// TeamRef names a team: its id and its name.
type TeamRef struct{ ID, Name string }

// TeamsOfResources maps each resource of an organization to the teams granting it, by name.
func TeamsOfResources(ctx context.Context, q Q, orgID string) (map[string][]TeamRef, error) {
	rows, err := q.QueryContext(ctx, `SELECT tr.resource_id, t.id, t.name FROM team_resources tr
 JOIN resources r ON r.id = tr.resource_id JOIN teams t ON t.id = tr.team_id
 WHERE r.org_id = ? ORDER BY t.name_norm`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]TeamRef{}
	for rows.Next() {
		var r string
		var t TeamRef
		if err := rows.Scan(&r, &t.ID, &t.Name); err != nil {
			return nil, err
		}
		out[r] = append(out[r], t)
	}
	return out, rows.Err()
}

// DirectResources lists the ids of the resources granted to a member directly (not by a team).
func DirectResources(ctx context.Context, q Q, membershipID string) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT resource_id FROM membership_resources WHERE membership_id = ?`, membershipID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// LinkInvitationResources records the resources invitations give directly, as pairs of
// invitation id and resource id.
func LinkInvitationResources(ctx context.Context, q Q, pairs [][2]string) error {
	for start := 0; start < len(pairs); start += 400 {
		chunk := pairs[start:min(start+400, len(pairs))]
		args := make([]any, 0, 2*len(chunk))
		for _, p := range chunk {
			args = append(args, p[0], p[1])
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO invitation_resources (invitation_id, resource_id) VALUES `+
			strings.TrimSuffix(strings.Repeat("(?, ?), ", len(chunk)), ", "), args...); err != nil {
			return err
		}
	}
	return nil
}

// GrantInvitationResources gives a new member the resources their invitation named.
func GrantInvitationResources(ctx context.Context, q Q, invitationID, membershipID string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO membership_resources (membership_id, resource_id)
 SELECT ?, resource_id FROM invitation_resources WHERE invitation_id = ? ON CONFLICT DO NOTHING`, membershipID, invitationID)
	return err
}
