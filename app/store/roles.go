package store

import (
	"context"
	"strings"
)

// Role is a named set of permissions inside one organization.
type Role struct {
	ID, OrgID, Key, Name string
	Permissions          []string
	Builtin              bool
	Rank                 int
	CreatedAt            int64
}

const roleColumns = `id, org_id, key, name, permissions, builtin, rank, created_at`

func scanRole(s scanner) (Role, error) {
	var r Role
	var perms string
	if err := s.Scan(&r.ID, &r.OrgID, &r.Key, &r.Name, &perms, &r.Builtin, &r.Rank, &r.CreatedAt); err != nil {
		return r, notFound(err)
	}
	r.Permissions = strings.Fields(perms)
	return r, nil
}

// CreateRole inserts a role; a taken key is ErrConflict.
func CreateRole(ctx context.Context, q Q, r Role) error {
	_, err := q.ExecContext(ctx, `INSERT INTO roles (`+roleColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.OrgID, r.Key, r.Name, strings.Join(r.Permissions, " "), r.Builtin, r.Rank, r.CreatedAt)
	if isUnique(err) {
		return ErrConflict
	}
	return err
}

// ListRoles returns an organization's roles, highest rank first.
func ListRoles(ctx context.Context, q Q, orgID string) ([]Role, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+roleColumns+` FROM roles WHERE org_id = ? ORDER BY rank DESC, name`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Role
	for rows.Next() {
		r, err := scanRole(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// GetRole reads a role by id within an organization.
func GetRole(ctx context.Context, q Q, orgID, id string) (Role, error) {
	return scanRole(q.QueryRowContext(ctx, `SELECT `+roleColumns+` FROM roles WHERE org_id = ? AND id = ?`, orgID, id))
}

// GetRoleByKey reads a role by its key ("owner", "admin", "member", or a custom key).
func GetRoleByKey(ctx context.Context, q Q, orgID, key string) (Role, error) {
	return scanRole(q.QueryRowContext(ctx, `SELECT `+roleColumns+` FROM roles WHERE org_id = ? AND key = ?`, orgID, key))
}
