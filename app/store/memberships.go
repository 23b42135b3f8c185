package store

import (
	"context"
	"strings"
)

// Membership ties a person to an organization with a role; joined with the person's
// address and name and the role's key for reading.
type Membership struct {
	ID, OrgID, UserID, RoleID string
	Status                    string // active | deactivated
	Source                    string // invite | join | scim | admin
	ExternalID                string
	Attributes                string // JSON kept for SCIM
	// MadeAccount is whether this membership's arrival created the person's account (SCIM or
	// an admin added someone new), rather than joining an account that already existed.
	MadeAccount         bool
	JoinedAt, UpdatedAt int64
	// Read-only, from the joined tables.
	Email, Name, RoleKey string
}

const (
	membershipColumns = `m.id, m.org_id, m.user_id, m.role_id, m.status, m.source, m.external_id, m.attributes,
 m.made_account, m.joined_at, m.updated_at, u.email, CAST(u.name AS BLOB), r.key`
	membershipFrom   = `memberships m JOIN users u ON u.id = m.user_id JOIN roles r ON r.id = m.role_id`
	membershipSelect = `SELECT ` + membershipColumns + ` FROM ` + membershipFrom
)

// scanMembership reads membershipColumns, then any extra columns into extra.
func scanMembership(s scanner, extra ...any) (Membership, error) {
	var m Membership
	err := s.Scan(append([]any{&m.ID, &m.OrgID, &m.UserID, &m.RoleID, &m.Status, &m.Source, &m.ExternalID, &m.Attributes,
		&m.MadeAccount, &m.JoinedAt, &m.UpdatedAt, &m.Email, &m.Name, &m.RoleKey}, extra...)...)
	return m, notFound(err)
}

// CreateMembership inserts a membership; a person already in the organization is ErrConflict.
func CreateMembership(ctx context.Context, q Q, m Membership) error {
	_, err := q.ExecContext(ctx, `INSERT INTO memberships (id, org_id, user_id, role_id, status, source, external_id,
 attributes, made_account, joined_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.OrgID, m.UserID, m.RoleID, m.Status, m.Source, m.ExternalID, m.Attributes, m.MadeAccount, m.JoinedAt, m.UpdatedAt)
	if isUnique(err) {
		return ErrConflict
	}
	return err
}

// GetMembership reads a membership by id within an organization.
func GetMembership(ctx context.Context, q Q, orgID, id string) (Membership, error) {
	return scanMembership(q.QueryRowContext(ctx, membershipSelect+` WHERE m.org_id = ? AND m.id = ?`, orgID, id))
}

// GetMembershipByUser reads a person's membership of an organization.
func GetMembershipByUser(ctx context.Context, q Q, orgID, userID string) (Membership, error) {
	return scanMembership(q.QueryRowContext(ctx, membershipSelect+` WHERE m.org_id = ? AND m.user_id = ?`, orgID, userID))
}

// MembershipsOfUser lists every organization membership of one person.
func MembershipsOfUser(ctx context.Context, q Q, userID string) ([]Membership, error) {
	return queryMemberships(ctx, q, membershipSelect+` WHERE m.user_id = ? ORDER BY m.joined_at`, userID)
}

// MemberFilter narrows ListMemberships.
type MemberFilter struct {
	Status, TeamID, RoleKey, Query string
	Page                           Page
}

// ListMemberships returns one page of an organization's members, newest first.
func ListMemberships(ctx context.Context, q Q, orgID string, f MemberFilter) ([]Membership, error) {
	var where []string
	args := []any{orgID}
	where = append(where, "m.org_id = ?")
	if f.Status != "" {
		where, args = append(where, "m.status = ?"), append(args, f.Status)
	}
	if f.RoleKey != "" {
		where, args = append(where, "r.key = ?"), append(args, f.RoleKey)
	}
	if f.TeamID != "" {
		where = append(where, "m.id IN (SELECT membership_id FROM team_members WHERE team_id = ?)")
		args = append(args, f.TeamID)
	}
	if f.Query != "" {
		// Through the trigram index when the term is rare, as People's search.
		rare, err := rareTerm(ctx, q, f.Query)
		if err != nil {
			return nil, err
		}
		cond, condArgs := searchCond("m.id", "u.email_norm", "u.name", f.Query, rare)
		where, args = append(where, cond), append(args, condArgs...)
	}
	p := f.Page.Normalise()
	if p.Cursor != "" {
		where, args = append(where, "m.id < ?"), append(args, p.Cursor)
	}
	args = append(args, p.sqlLimit())
	return queryMemberships(ctx, q, membershipSelect+` WHERE `+strings.Join(where, " AND ")+` ORDER BY m.id DESC LIMIT ?`, args...)
}

func queryMemberships(ctx context.Context, q Q, query string, args ...any) ([]Membership, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Membership{}
	for rows.Next() {
		m, err := scanMembership(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// SetMembershipRole changes a member's role.
func SetMembershipRole(ctx context.Context, q Q, orgID, id, roleID string, now int64) error {
	return affectedOne(q.ExecContext(ctx, `UPDATE memberships SET role_id = ?, updated_at = ? WHERE org_id = ? AND id = ?`,
		roleID, now, orgID, id))
}

// SetMembershipStatus activates or deactivates a member.
func SetMembershipStatus(ctx context.Context, q Q, orgID, id, status string, now int64) error {
	return affectedOne(q.ExecContext(ctx, `UPDATE memberships SET status = ?, updated_at = ? WHERE org_id = ? AND id = ?`,
		status, now, orgID, id))
}

// DeleteMembership removes a member from an organization for good. The teams they leave are
// changed as of now (SCIM shows a group's lastModified).
func DeleteMembership(ctx context.Context, q Q, orgID, id string, now int64) error {
	if _, err := q.ExecContext(ctx, `UPDATE teams SET updated_at = ? WHERE org_id = ?
 AND id IN (SELECT team_id FROM team_members WHERE membership_id = ?)`, now, orgID, id); err != nil {
		return err
	}
	return affectedOne(q.ExecContext(ctx, `DELETE FROM memberships WHERE org_id = ? AND id = ?`, orgID, id))
}

// CountActiveMembers counts the members that hold a seat.
func CountActiveMembers(ctx context.Context, q Q, orgID string) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM memberships WHERE org_id = ? AND status = 'active'`, orgID).Scan(&n)
	return n, err
}

// CountMembersWithRole counts active members holding a role, to protect the last owner.
func CountMembersWithRole(ctx context.Context, q Q, orgID, roleID string) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM memberships WHERE org_id = ? AND role_id = ? AND status = 'active'`,
		orgID, roleID).Scan(&n)
	return n, err
}

// MemberEmails returns which of the given normalised addresses already belong to members,
// mapped to their membership status.
func MemberEmails(ctx context.Context, q Q, orgID string, emails []string) (map[string]string, error) {
	out := map[string]string{}
	for start := 0; start < len(emails); start += 500 {
		chunk := emails[start:min(start+500, len(emails))]
		args := []any{orgID}
		for _, e := range chunk {
			args = append(args, e)
		}
		rows, err := q.QueryContext(ctx, `SELECT u.email_norm, m.status FROM memberships m JOIN users u ON u.id = m.user_id
 WHERE m.org_id = ? AND u.email_norm IN (`+placeholders(len(chunk))+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var e, s string
			if err := rows.Scan(&e, &s); err != nil {
				rows.Close()
				return nil, err
			}
			out[e] = s
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CountMembersBySource counts an organization's members (of any status) who came in one way.
func CountMembersBySource(ctx context.Context, q Q, orgID, source string) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM memberships WHERE org_id = ? AND source = ?`, orgID, source).Scan(&n)
	return n, err
}

// membersWithPermission is MembersWithPermission's query: the organization's roles that grant
// the permission (a handful), then the active members holding each, through
// memberships_active_role (left to itself, SQLite walked every active member instead).
const membersWithPermission = `SELECT ` + membershipColumns + ` FROM memberships m INDEXED BY memberships_active_role
 JOIN users u ON u.id = m.user_id JOIN roles r ON r.id = m.role_id
 WHERE m.org_id = ? AND m.status = 'active' AND m.role_id IN (SELECT id FROM roles WHERE org_id = ? AND instr(' ' || permissions || ' ', ?) > 0)
 AND u.disabled_at IS NULL ORDER BY r.rank DESC, m.joined_at, m.id LIMIT ?`

// MembersWithPermission returns up to limit active members of an organization whose role
// grants perm and whose account is not disabled: the highest role first, then who joined first.
func MembersWithPermission(ctx context.Context, q Q, orgID, perm string, limit int) ([]Membership, error) {
	return queryMemberships(ctx, q, membersWithPermission, orgID, orgID, " "+perm+" ", limit)
}
