package store

import (
	"context"
	"strconv"
	"strings"
)

// Person is one row of the console's People list: a member, or an invitation that has not
// become one (pending, expired or revoked).
type Person struct {
	Kind           string // member | invitation
	ID             string
	Email, Name    string
	RoleKey        string
	Status         string // active | deactivated | pending | expired | revoked
	Source         string // for members: invite | join | scim | admin
	DeliveryStatus string // for invitations
	ExpiresAt      int64  // for invitations
	CreatedAt      int64
}

// PeopleFilter narrows ListPeople. Status "failed" means invitations whose email failed.
type PeopleFilter struct {
	Status, RoleKey, TeamID, Query string
	// Oldest lists oldest first instead of newest first.
	Oldest bool
	Page   Page
}

// ListPeople returns one page of members and open invitations together, newest first. It reads
// both tables through their (org_id, id) indexes and merges, so a page costs the same at any size.
func ListPeople(ctx context.Context, q Q, orgID string, f PeopleFilter, now int64) ([]Person, error) {
	p := f.Page.Normalise()
	// Both arms walk their (org_id, id) index in the same direction; ids are UUIDv7, so they
	// sort by time across both tables.
	cmp, dir := "<", "DESC"
	if f.Oldest {
		cmp, dir = ">", "ASC"
	}
	memberStatus := map[string]bool{"": true, "active": true, "deactivated": true}
	inviteStatus := map[string]bool{"": true, "pending": true, "expired": true, "revoked": true, "failed": true, "requested": true}
	var arms []string
	var args []any
	if memberStatus[f.Status] {
		w, a := []string{"m.org_id = ?"}, []any{orgID}
		if f.Status != "" {
			w, a = append(w, "m.status = ?"), append(a, f.Status)
		}
		if f.RoleKey != "" {
			w, a = append(w, "r.key = ?"), append(a, f.RoleKey)
		}
		if f.TeamID != "" {
			w, a = append(w, "m.id IN (SELECT membership_id FROM team_members WHERE team_id = ?)"), append(a, f.TeamID)
		}
		if f.Query != "" {
			w = append(w, `(u.email_norm LIKE ? ESCAPE '\' OR lower(u.name) LIKE ? ESCAPE '\')`)
			a = append(a, likeArg(f.Query), likeArg(f.Query))
		}
		if p.Cursor != "" {
			w, a = append(w, "m.id "+cmp+" ?"), append(a, p.Cursor)
		}
		arms = append(arms, `SELECT * FROM (SELECT 'member', m.id, u.email, CAST(u.name AS BLOB), r.key, m.status, m.source, '', 0, m.joined_at
 FROM memberships m JOIN users u ON u.id = m.user_id JOIN roles r ON r.id = m.role_id
 WHERE `+strings.Join(w, " AND ")+` ORDER BY m.id `+dir+` LIMIT ?)`)
		args = append(append(args, a...), p.Limit)
	}
	if inviteStatus[f.Status] {
		hint := ""
		w, a := []string{"i.org_id = ?", "i.status != 'accepted'"}, []any{orgID}
		switch f.Status {
		case "pending":
			w, a = append(w, "i.status = 'pending' AND i.expires_at > ?"), append(a, now)
			// Walk pending invitations in id order; the seat-count index on expiry would
			// make SQLite sort every pending invitation of the organization for one page.
			hint = "INDEXED BY invitations_org_status"
		case "expired":
			w, a = append(w, "(i.status = 'expired' OR (i.status = 'pending' AND i.expires_at <= ?))"), append(a, now)
		case "revoked", "requested":
			w, a = append(w, "i.status = ?"), append(a, f.Status)
		case "failed":
			w = append(w, "i.status = 'pending' AND i.delivery_status = 'failed'")
		}
		if f.RoleKey != "" {
			w, a = append(w, "r.key = ?"), append(a, f.RoleKey)
		}
		if f.TeamID != "" {
			w, a = append(w, "i.id IN (SELECT invitation_id FROM invitation_teams WHERE team_id = ?)"), append(a, f.TeamID)
		}
		if f.Query != "" {
			w = append(w, `(i.email_norm LIKE ? ESCAPE '\' OR lower(i.name) LIKE ? ESCAPE '\')`)
			a = append(a, likeArg(f.Query), likeArg(f.Query))
		}
		if p.Cursor != "" {
			w, a = append(w, "i.id "+cmp+" ?"), append(a, p.Cursor)
		}
		arms = append(arms, `SELECT * FROM (SELECT 'invitation', i.id, i.email, CAST(i.name AS BLOB), r.key,
 CASE WHEN i.status = 'pending' AND i.expires_at <= `+strconv.FormatInt(now, 10)+` THEN 'expired' ELSE i.status END,
 '', i.delivery_status, i.expires_at, i.created_at
 FROM invitations i `+hint+` JOIN roles r ON r.id = i.role_id
 WHERE `+strings.Join(w, " AND ")+` ORDER BY i.id `+dir+` LIMIT ?)`)
		args = append(append(args, a...), p.Limit)
	}
	if len(arms) == 0 {
		return []Person{}, nil
	}
	args = append(args, p.Limit)
	rows, err := q.QueryContext(ctx, strings.Join(arms, " UNION ALL ")+` ORDER BY 2 `+dir+` LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Person{}
	for rows.Next() {
		var x Person
		if err := rows.Scan(&x.Kind, &x.ID, &x.Email, &x.Name, &x.RoleKey, &x.Status, &x.Source, &x.DeliveryStatus,
			&x.ExpiresAt, &x.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}
