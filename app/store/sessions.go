package store

import "context"

// Session is a signed-in browser. Only the hash of its id is stored.
type Session struct {
	IDHash     string
	UserID     string
	CSRF       string
	Data       string // JSON: the current organization, pending OIDC state, …
	CreatedAt  int64
	LastSeenAt int64
	ExpiresAt  int64 // the absolute timeout
}

// CreateSession stores a new session.
func CreateSession(ctx context.Context, q Q, s Session) error {
	_, err := q.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, csrf, data, created_at, last_seen_at, expires_at)
 VALUES (?, ?, ?, ?, ?, ?, ?)`, s.IDHash, s.UserID, s.CSRF, s.Data, s.CreatedAt, s.LastSeenAt, s.ExpiresAt)
	return err
}

// GetSession reads a session by the hash of its id.
func GetSession(ctx context.Context, q Q, idHash string) (Session, error) {
	var s Session
	err := q.QueryRowContext(ctx, `SELECT id_hash, user_id, csrf, data, created_at, last_seen_at, expires_at FROM sessions
 WHERE id_hash = ?`, idHash).Scan(&s.IDHash, &s.UserID, &s.CSRF, &s.Data, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt)
	return s, notFound(err)
}

// TouchSession moves a session's idle clock and stores its data.
func TouchSession(ctx context.Context, q Q, idHash, data string, now int64) error {
	return affectedOne(q.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ?, data = ? WHERE id_hash = ?`, now, data, idHash))
}

// SetSessionCSRF gives a session that has none its form token.
func SetSessionCSRF(ctx context.Context, q Q, idHash, csrf string) error {
	_, err := q.ExecContext(ctx, `UPDATE sessions SET csrf = ? WHERE id_hash = ? AND csrf = ''`, csrf, idHash)
	return err
}

// DeleteSession ends one session.
func DeleteSession(ctx context.Context, q Q, idHash string) error {
	_, err := q.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash)
	return err
}

// DeleteUserSessions ends every session of a person except keepHash (empty ends all).
func DeleteUserSessions(ctx context.Context, q Q, userID, keepHash string) (int64, error) {
	res, err := q.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND id_hash != ?`, userID, keepHash)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// PurgeSessions deletes sessions past their absolute timeout or idle longer than idleMs.
func PurgeSessions(ctx context.Context, q Q, now, idleMs int64) (int64, error) {
	res, err := q.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?`, now, now-idleMs)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
