package org

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/password"
	"github.com/lobby/lobby/auth/token"
)

// ResetTTL is how long a password-reset link works.
const ResetTTL = time.Hour

// ErrBadLogin is the one answer to a failed sign-in, whether or not the address is known.
var ErrBadLogin = errf(CodeUnauthenticated, "", "that email and password do not match an account")

// SignIn checks an address and password. Unknown addresses spend the same time hashing as known
// ones, and every failure gives the same error.
func (s *Service) SignIn(ctx context.Context, email, pw string) (store.User, error) {
	norm, err := normaliseEmail("email", email)
	if err != nil {
		s.hasher.DummyVerify(ctx)
		return store.User{}, ErrBadLogin
	}
	u, err := store.GetUserByEmail(ctx, s.db.R, norm)
	if errors.Is(err, store.ErrNotFound) || (err == nil && u.PasswordHash == "") {
		s.hasher.DummyVerify(ctx)
		return store.User{}, ErrBadLogin
	}
	if err != nil {
		return store.User{}, err
	}
	ok, err := s.hasher.Verify(ctx, u.PasswordHash, pw)
	if err != nil || !ok || u.DisabledAt != nil {
		return store.User{}, ErrBadLogin
	}
	_ = s.db.Tx(ctx, func(q store.Q) error { return store.TouchLogin(ctx, q, u.ID, s.nowMs()) })
	return u, nil
}

// HashPassword checks a new password against the length rules and hashes it.
func (s *Service) HashPassword(ctx context.Context, pw string) (string, error) {
	if err := password.CheckLength(pw, s.passwordMin); err != nil {
		return "", errf(CodeInvalidPassword, "password", "the %v", err)
	}
	return s.hasher.Hash(ctx, pw)
}

// User reads a person by id.
func (s *Service) User(ctx context.Context, id string) (store.User, error) {
	u, err := store.GetUser(ctx, s.db.R, id)
	return u, notFound(err, "account")
}

// RequestReset sends a password-reset link to an address that has an account. An address with
// only a pending invitation gets its invitation again with a fresh link instead of a dead end.
// Unknown addresses get nothing. The caller answers the same in every case.
func (s *Service) RequestReset(ctx context.Context, email string) error {
	norm, err := normaliseEmail("email", email)
	if err != nil {
		return err
	}
	return s.tx(ctx, true, func(q store.Q) error {
		now := s.nowMs()
		u, err := store.GetUserByEmail(ctx, q, norm)
		if err == nil {
			if err := store.RetireLinkTokens(ctx, q, "reset", norm, now); err != nil {
				return err
			}
			plain, hash := token.New(token.Reset)
			if err := store.CreateLinkToken(ctx, q, store.LinkToken{TokenHash: hash, Kind: "reset", UserID: u.ID, EmailNorm: norm,
				ExpiresAt: now + ResetTTL.Milliseconds(), CreatedAt: now}); err != nil {
				return err
			}
			return s.mail(ctx, q, "", "", "password_reset", norm, map[string]any{"ResetURL": s.link("/reset/" + plain),
				"ExpiresIn": "1 hour", "Name": u.Name, "Site": s.site()}, now)
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return s.resendForReset(ctx, q, norm, now)
	})
}

// resendForReset mails a fresh link for the newest pending invitation of an address.
func (s *Service) resendForReset(ctx context.Context, q store.Q, norm string, now int64) error {
	rows, err := q.QueryContext(ctx, `SELECT id, org_id FROM invitations WHERE email_norm = ? AND status = 'pending' AND expires_at > ?
 ORDER BY id DESC LIMIT 1`, norm, now)
	if err != nil {
		return err
	}
	var id, orgID string
	found := rows.Next()
	if found {
		err = rows.Scan(&id, &orgID)
	}
	rows.Close()
	if !found || err != nil {
		return err
	}
	inv, err := store.GetInvitation(ctx, q, orgID, id)
	if err != nil {
		return err
	}
	o, err := store.GetOrg(ctx, q, orgID)
	if err != nil {
		return err
	}
	plain, hash := token.New(token.Invite)
	if err := store.RenewInvitation(ctx, q, orgID, id, hash, inv.ExpiresAt, now); err != nil {
		return err
	}
	return s.mail(ctx, q, orgID, id, "reset_invite", norm, map[string]any{"OrgName": o.Name, "AcceptURL": s.AcceptURL(plain), "Site": s.site()}, now)
}

// ResetPassword sets a new password through a reset link, which works once, and ends every
// session of the person in the same transaction: someone resetting after a break-in must not
// leave the intruder signed in, even if Lobby stops right after. It returns the person so the
// caller can sign them in.
func (s *Service) ResetPassword(ctx context.Context, plain, pw string) (store.User, error) {
	// The link first: a guessed link must not cost a password hash, which would let guesses
	// tie up the few hashing slots that sign-ins need.
	if _, err := s.liveResetLink(ctx, plain); err != nil {
		return store.User{}, err
	}
	hash, err := s.HashPassword(ctx, pw)
	if err != nil {
		return store.User{}, err
	}
	var u store.User
	err = s.tx(ctx, false, func(q store.Q) error {
		now := s.nowMs()
		t, err := store.GetLinkToken(ctx, q, "reset", token.Hash(plain))
		if err != nil {
			return errf(CodeNotFound, "", "this reset link is not valid")
		}
		if err := store.UseLinkToken(ctx, q, "reset", t.TokenHash, now); err != nil {
			return errf(CodeInviteExpired, "", "this reset link has expired or was already used; ask for a new one")
		}
		if err := store.SetUserPassword(ctx, q, t.UserID, hash); err != nil {
			return err
		}
		// The link proves the address.
		if err := store.MarkEmailVerified(ctx, q, t.UserID, now); err != nil {
			return err
		}
		if _, err := store.DeleteUserSessions(ctx, q, t.UserID, ""); err != nil {
			return err
		}
		u, err = store.GetUser(ctx, q, t.UserID)
		return err
	})
	return u, err
}

// CheckResetLink tells whether a reset link can still be used, without using it, and returns
// the address of the account it resets, for the page to name.
func (s *Service) CheckResetLink(ctx context.Context, plain string) (email string, err error) {
	t, err := s.liveResetLink(ctx, plain)
	if err != nil {
		return "", err
	}
	u, err := store.GetUser(ctx, s.db.R, t.UserID)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return "", errf(CodeNotFound, "", "this reset link is not valid")
		}
		return "", err
	}
	return u.EmailNorm, nil
}

// liveResetLink reads a reset link that can still be used.
func (s *Service) liveResetLink(ctx context.Context, plain string) (store.LinkToken, error) {
	if !token.Looks(plain, token.Reset) {
		return store.LinkToken{}, errf(CodeNotFound, "", "this reset link is not valid")
	}
	t, err := store.GetLinkToken(ctx, s.db.R, "reset", token.Hash(plain))
	if err != nil {
		return store.LinkToken{}, errf(CodeNotFound, "", "this reset link is not valid")
	}
	if t.UsedAt != nil || t.ExpiresAt <= s.nowMs() {
		return store.LinkToken{}, errf(CodeInviteExpired, "", "this reset link has expired or was already used; ask for a new one")
	}
	return t, nil
}

// ChangePassword replaces a signed-in person's password after checking the current one, and
// ends every session of theirs in the same transaction (the caller signs them in again).
func (s *Service) ChangePassword(ctx context.Context, userID, current, next string) error {
	u, err := store.GetUser(ctx, s.db.R, userID)
	if err != nil {
		return notFound(err, "account")
	}
	if u.PasswordHash != "" {
		ok, err := s.hasher.Verify(ctx, u.PasswordHash, current)
		if err != nil || !ok {
			return errf(CodeInvalidPassword, "current_password", "the current password is not right")
		}
	}
	hash, err := s.HashPassword(ctx, next)
	if err != nil {
		return err
	}
	return s.tx(ctx, false, func(q store.Q) error {
		if err := store.SetUserPassword(ctx, q, userID, hash); err != nil {
			return err
		}
		_, err := store.DeleteUserSessions(ctx, q, userID, "")
		return err
	})
}

// UpdateName changes a person's display name.
func (s *Service) UpdateName(ctx context.Context, userID, name string) error {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 200 || !oneLine(name) {
		return errf(CodeInvalid, "name", "enter your name on one line (at most 200 characters)")
	}
	return s.tx(ctx, false, func(q store.Q) error { return store.UpdateUserName(ctx, q, userID, name) })
}

// HasAccount reports whether a normalised address has an account. Only the invitation page,
// reached with the invitee's own link, uses it.
func (s *Service) HasAccount(ctx context.Context, norm string) (bool, error) {
	_, err := store.GetUserByEmail(ctx, s.db.R, norm)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}
