package store

import "context"

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

// LinkTeamResource grants a resource to every member of a team.
func LinkTeamResource(ctx context.Context, q Q, teamID, resourceID string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO team_resources (team_id, resource_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, teamID, resourceID)
	return err
}

// LinkMemberResource grants a resource to one member.
func LinkMemberResource(ctx context.Context, q Q, membershipID, resourceID string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO membership_resources (membership_id, resource_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
		membershipID, resourceID)
	return err
}

// ResourcesOfMembership lists the resources a member has, through their teams or directly.
func ResourcesOfMembership(ctx context.Context, q Q, membershipID string) ([]Resource, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.id, r.org_id, r.name, r.url, r.description, r.created_at FROM resources r
 WHERE r.id IN (SELECT tr.resource_id FROM team_resources tr JOIN team_members tm ON tm.team_id = tr.team_id WHERE tm.membership_id = ?)
    OR r.id IN (SELECT resource_id FROM membership_resources WHERE membership_id = ?)
 ORDER BY lower(r.name)`, membershipID, membershipID)
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
