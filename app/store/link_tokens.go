package store

import (
	"context"
	"database/sql"
)

// LinkToken is a single-use emailed or printed link other than an invitation: a password
// reset, a join confirmation, the first-run setup. Only its hash is stored.
type LinkToken struct {
	TokenHash string
	Kind      string // reset | join | setup
	OrgID     string
	UserID    string
	EmailNorm string
	Data      string
	ExpiresAt int64
	UsedAt    *int64
	CreatedAt int64
}

// CreateLinkToken stores a new link token.
func CreateLinkToken(ctx context.Context, q Q, t LinkToken) error {
	_, err := q.ExecContext(ctx, `INSERT INTO link_tokens (token_hash, kind, org_id, user_id, email_norm, data, expires_at, created_at)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, t.TokenHash, t.Kind, strArg(t.OrgID), strArg(t.UserID), t.EmailNorm, t.Data, t.ExpiresAt, t.CreatedAt)
	return err
}

// GetLinkToken reads a link token of a kind by hash, used or not.
func GetLinkToken(ctx context.Context, q Q, kind, hash string) (LinkToken, error) {
	var t LinkToken
	var org, user sql.NullString
	var used sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT token_hash, kind, org_id, user_id, email_norm, data, expires_at, used_at, created_at
 FROM link_tokens WHERE kind = ? AND token_hash = ?`, kind, hash).Scan(&t.TokenHash, &t.Kind, &org, &user, &t.EmailNorm,
		&t.Data, &t.ExpiresAt, &used, &t.CreatedAt)
	t.OrgID, t.UserID, t.UsedAt = org.String, user.String, nullInt(used)
	return t, notFound(err)
}

// UseLinkToken consumes an unused, unexpired link token: exactly one row or ErrNotFound.
func UseLinkToken(ctx context.Context, q Q, kind, hash string, now int64) error {
	return affectedOne(q.ExecContext(ctx, `UPDATE link_tokens SET used_at = ? WHERE kind = ? AND token_hash = ?
 AND used_at IS NULL AND expires_at > ?`, now, kind, hash, now))
}

// RetireLinkTokens marks every unused token of a kind for an address used, so only the newest
// link works (a second reset email kills the first).
func RetireLinkTokens(ctx context.Context, q Q, kind, emailNorm string, now int64) error {
	_, err := q.ExecContext(ctx, `UPDATE link_tokens SET used_at = ? WHERE kind = ? AND email_norm = ? AND used_at IS NULL`,
		now, kind, emailNorm)
	return err
}

// PurgeLinkTokens deletes link tokens that expired or were used before the given time.
func PurgeLinkTokens(ctx context.Context, q Q, before int64) (int64, error) {
	res, err := q.ExecContext(ctx, `DELETE FROM link_tokens WHERE expires_at <= ? OR used_at <= ?`, before, before)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
