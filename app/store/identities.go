package store

import (
	"context"
)

// Identity links a login at an OpenID provider, named by (issuer, subject), to an account.
type Identity struct {
	ID        string
	UserID    string
	Issuer    string
	Subject   string
	Email     string // the verified address the provider last sent, or ""
	CreatedAt int64
}

const identityColumns = `id, user_id, issuer, subject, email, created_at`

func scanIdentity(s scanner) (Identity, error) {
	var i Identity
	err := s.Scan(&i.ID, &i.UserID, &i.Issuer, &i.Subject, &i.Email, &i.CreatedAt)
	return i, notFound(err)
}

// CreateIdentity links a login; one already linked (to anyone) is ErrConflict.
func CreateIdentity(ctx context.Context, q Q, i Identity) error {
	_, err := q.ExecContext(ctx, `INSERT INTO identities (`+identityColumns+`) VALUES (?, ?, ?, ?, ?, ?)`,
		i.ID, i.UserID, i.Issuer, i.Subject, i.Email, i.CreatedAt)
	if isUnique(err) {
		return ErrConflict
	}
	return err
}

// GetIdentity finds the link of (issuer, subject).
func GetIdentity(ctx context.Context, q Q, issuer, subject string) (Identity, error) {
	return scanIdentity(q.QueryRowContext(ctx, `SELECT `+identityColumns+` FROM identities WHERE issuer = ? AND subject = ?`,
		issuer, subject))
}

// ListIdentities returns a person's linked logins, oldest first.
func ListIdentities(ctx context.Context, q Q, userID string) ([]Identity, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+identityColumns+` FROM identities WHERE user_id = ? ORDER BY id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Identity
	for rows.Next() {
		i, err := scanIdentity(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// SetIdentityEmail records the verified address a provider sent at the latest sign-in.
func SetIdentityEmail(ctx context.Context, q Q, id, email string) error {
	return affectedOne(q.ExecContext(ctx, `UPDATE identities SET email = ? WHERE id = ?`, email, id))
}

// DeleteIdentity unlinks one of a person's logins; another person's is ErrNotFound.
func DeleteIdentity(ctx context.Context, q Q, userID, id string) error {
	return affectedOne(q.ExecContext(ctx, `DELETE FROM identities WHERE id = ? AND user_id = ?`, id, userID))
}

// SSORule is an organization's requirement that members with some domains sign in with one
// OpenID provider.
type SSORule struct {
	OrgID, OrgName, Provider string
	Domains                  []string
}

// SSORulesOfUser returns the requirements of the organizations where userID is an active
// member, by organization name.
func SSORulesOfUser(ctx context.Context, q Q, userID string) ([]SSORule, error) {
	rows, err := q.QueryContext(ctx, `SELECT o.id, o.name, o.sso_provider, o.sso_required_domains FROM memberships m
 JOIN organizations o ON o.id = m.org_id WHERE m.user_id = ? AND m.status = 'active' AND o.sso_required_domains != ''
 ORDER BY o.name`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SSORule
	for rows.Next() {
		var r SSORule
		var dom string
		if err := rows.Scan(&r.OrgID, &r.OrgName, &r.Provider, &dom); err != nil {
			return nil, err
		}
		r.Domains = splitList(dom)
		out = append(out, r)
	}
	return out, rows.Err()
}
