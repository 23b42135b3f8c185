package store

import (
	"context"
	"database/sql"
)

// User is a person, global to the instance; memberships tie them to organizations.
type User struct {
	ID, Email, EmailNorm, Name string
	PasswordHash               string
	EmailVerifiedAt            *int64
	DisabledAt                 *int64
	CreatedAt                  int64
	LastLoginAt                *int64
}

const userColumns = `id, email, email_norm, name, password_hash, email_verified_at, disabled_at, created_at, last_login_at`

// userSelect reads the name as BLOB: the driver turns TEXT that looks like a date into a
// reformatted time, and a name is whatever the person typed.
const userSelect = `SELECT id, email, email_norm, CAST(name AS BLOB), password_hash, email_verified_at, disabled_at, created_at, last_login_at FROM users`

func scanUser(s scanner) (User, error) {
	var u User
	var ph sql.NullString
	var ev, dis, ll sql.NullInt64
	if err := s.Scan(&u.ID, &u.Email, &u.EmailNorm, &u.Name, &ph, &ev, &dis, &u.CreatedAt, &ll); err != nil {
		return u, notFound(err)
	}
	u.PasswordHash = ph.String
	u.EmailVerifiedAt, u.DisabledAt, u.LastLoginAt = nullInt(ev), nullInt(dis), nullInt(ll)
	return u, nil
}

// CreateUser inserts a person; a taken address is ErrConflict.
func CreateUser(ctx context.Context, q Q, u User) error {
	_, err := q.ExecContext(ctx, `INSERT INTO users (`+userColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.Email, u.EmailNorm, u.Name, strArg(u.PasswordHash), intArg(u.EmailVerifiedAt), intArg(u.DisabledAt),
		u.CreatedAt, intArg(u.LastLoginAt))
	if isUnique(err) {
		return ErrConflict
	}
	return err
}

// GetUser reads a person by id.
func GetUser(ctx context.Context, q Q, id string) (User, error) {
	return scanUser(q.QueryRowContext(ctx, userSelect+` WHERE id = ?`, id))
}

// GetUserByEmail reads a person by normalised address.
func GetUserByEmail(ctx context.Context, q Q, emailNorm string) (User, error) {
	return scanUser(q.QueryRowContext(ctx, userSelect+` WHERE email_norm = ?`, emailNorm))
}

// UpdateUserName changes a person's display name.
func UpdateUserName(ctx context.Context, q Q, id, name string) error {
	return affectedOne(q.ExecContext(ctx, `UPDATE users SET name = ? WHERE id = ?`, name, id))
}

// SetUserPassword replaces a person's password hash.
func SetUserPassword(ctx context.Context, q Q, id, hash string) error {
	return affectedOne(q.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, id))
}

// MarkEmailVerified records that the person proved they own their address.
func MarkEmailVerified(ctx context.Context, q Q, id string, now int64) error {
	return affectedOne(q.ExecContext(ctx,
		`UPDATE users SET email_verified_at = COALESCE(email_verified_at, ?) WHERE id = ?`, now, id))
}

// TouchLogin records a successful sign-in.
func TouchLogin(ctx context.Context, q Q, id string, now int64) error {
	return affectedOne(q.ExecContext(ctx, `UPDATE users SET last_login_at = ? WHERE id = ?`, now, id))
}

// CountUsers counts every person of the instance.
func CountUsers(ctx context.Context, q Q) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n)
	return n, err
}
