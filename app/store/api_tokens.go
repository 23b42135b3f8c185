package store

import (
	"context"
	"database/sql"
	"strings"
)

// APIToken is a bearer token for the REST API or SCIM, scoped to one organization.
type APIToken struct {
	ID, OrgID, Kind, Name, TokenHash string
	CreatedBy                        string
	CreatedAt                        int64
	LastUsedAt, RevokedAt            *int64
	ExpiresAt                        *int64 // nil only in a database written outside Lobby
}

// Expired reports whether the token no longer works at now (unix ms) because of its age.
func (t APIToken) Expired(now int64) bool { return t.ExpiresAt != nil && *t.ExpiresAt <= now }

const apiTokenColumns = `id, org_id, kind, name, token_hash, created_by, created_at, last_used_at, revoked_at, expires_at`

func scanAPIToken(s scanner) (APIToken, error) {
	var t APIToken
	var by sql.NullString
	var used, rev, exp sql.NullInt64
	if err := s.Scan(&t.ID, &t.OrgID, &t.Kind, &t.Name, &t.TokenHash, &by, &t.CreatedAt, &used, &rev, &exp); err != nil {
		return t, notFound(err)
	}
	t.CreatedBy, t.LastUsedAt, t.RevokedAt, t.ExpiresAt = by.String, nullInt(used), nullInt(rev), nullInt(exp)
	return t, nil
}

// CreateAPIToken stores a token's hash.
func CreateAPIToken(ctx context.Context, q Q, t APIToken) error {
	_, err := q.ExecContext(ctx, `INSERT INTO api_tokens (`+apiTokenColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)`,
		t.ID, t.OrgID, t.Kind, t.Name, t.TokenHash, strArg(t.CreatedBy), t.CreatedAt, intArg(t.ExpiresAt))
	if isUnique(err) {
		return ErrConflict
	}
	return err
}

// TouchAPIToken records a use, at most once a minute per token to spare the writer.
func TouchAPIToken(ctx context.Context, q Q, id string, now int64) error {
	_, err := q.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)`,
		now, id, now-60_000)
	return err
}

// ListAPITokens lists an organization's tokens, newest first.
func ListAPITokens(ctx context.Context, q Q, orgID string) ([]APIToken, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE org_id = ? ORDER BY id DESC`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []APIToken{}
	for rows.Next() {
		t, err := scanAPIToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPIToken revokes a token of an organization.
func RevokeAPIToken(ctx context.Context, q Q, orgID, id string, now int64) error {
	return affectedOne(q.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE org_id = ? AND id = ? AND revoked_at IS NULL`,
		now, orgID, id))
}

// GetAPITokenWithRole finds an unrevoked token by its hash together with the role of key in
// its organization, in one query: every API and SCIM request starts here.
func GetAPITokenWithRole(ctx context.Context, q Q, hash, roleKey string) (APIToken, Role, error) {
	var t APIToken
	var r Role
	var by sql.NullString
	var used, rev, exp sql.NullInt64
	var perms string
	err := q.QueryRowContext(ctx, `SELECT t.id, t.org_id, t.kind, t.name, t.token_hash, t.created_by, t.created_at, t.last_used_at,
 t.revoked_at, t.expires_at, r.id, r.org_id, r.key, r.name, r.permissions, r.builtin, r.rank, r.created_at
 FROM api_tokens t JOIN roles r ON r.org_id = t.org_id AND r.key = ? WHERE t.token_hash = ? AND t.revoked_at IS NULL`,
		roleKey, hash).Scan(&t.ID, &t.OrgID, &t.Kind, &t.Name, &t.TokenHash, &by, &t.CreatedAt, &used, &rev, &exp,
		&r.ID, &r.OrgID, &r.Key, &r.Name, &perms, &r.Builtin, &r.Rank, &r.CreatedAt)
	if err != nil {
		return t, r, notFound(err)
	}
	t.CreatedBy, t.LastUsedAt, t.RevokedAt, t.ExpiresAt = by.String, nullInt(used), nullInt(rev), nullInt(exp)
	r.Permissions = strings.Fields(perms)
	return t, r, nil
}
