package org

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/token"
)

// SetupTTL is how long the first-run setup link works.
const SetupTTL = 24 * time.Hour

// SetupNeeded reports whether the instance has nobody yet, so first-run setup is open.
func (s *Service) SetupNeeded(ctx context.Context) (bool, error) {
	n, err := store.CountUsers(ctx, s.db.R)
	return n == 0, err
}

// NewSetupLink makes a fresh one-time setup link (older ones stop working) while setup is needed.
func (s *Service) NewSetupLink(ctx context.Context) (string, error) {
	var url string
	err := s.tx(ctx, false, func(q store.Q) error {
		n, err := store.CountUsers(ctx, q)
		if err != nil || n > 0 {
			return err
		}
		now := s.nowMs()
		if err := store.RetireLinkTokens(ctx, q, "setup", "", now); err != nil {
			return err
		}
		plain, hash := token.New(token.Setup)
		url = s.link("/setup/" + plain)
		return store.CreateLinkToken(ctx, q, store.LinkToken{TokenHash: hash, Kind: "setup", ExpiresAt: now + SetupTTL.Milliseconds(), CreatedAt: now})
	})
	return url, err
}

// CheckSetupLink tells whether a setup link can still be used.
func (s *Service) CheckSetupLink(ctx context.Context, plain string) error {
	if !token.Looks(plain, token.Setup) {
		return errf(CodeNotFound, "", "this setup link is not valid")
	}
	t, err := store.GetLinkToken(ctx, s.db.R, "setup", token.Hash(plain))
	if err != nil {
		return errf(CodeNotFound, "", "this setup link is not valid")
	}
	if t.UsedAt != nil {
		return errf(CodeInviteExpired, "", "Lobby is already set up with this link; sign in instead")
	}
	if t.ExpiresAt <= s.nowMs() {
		return errf(CodeInviteExpired, "", "this setup link has expired; restart Lobby to print a new one, or use the command line")
	}
	// Someone set Lobby up another way (lobby admin create) since the link was printed.
	if needed, err := s.SetupNeeded(ctx); err != nil {
		return err
	} else if !needed {
		return errSetUpAlready()
	}
	return nil
}

// errSetUpAlready is the answer to a setup link once the instance has an account.
func errSetUpAlready() error {
	return errf(CodeInviteExpired, "", "Lobby is already set up; sign in instead")
}

// Setup is the first organization and its owner, from the first-run page.
type Setup struct {
	OrgName, Slug, Email, Name, Password string
}

// CompleteSetup uses the setup link once and creates the first organization and its owner in
// one transaction.
func (s *Service) CompleteSetup(ctx context.Context, plain string, in Setup) (store.User, store.Org, error) {
	var u store.User
	var o store.Org
	if err := s.CheckSetupLink(ctx, plain); err != nil {
		return u, o, err
	}
	norm, err := normaliseEmail("email", in.Email)
	if err != nil {
		return u, o, err
	}
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len([]rune(in.Name)) > 200 || !oneLine(in.Name) {
		return u, o, errf(CodeInvalid, "name", "enter your name on one line (at most 200 characters)")
	}
	hash, err := s.HashPassword(ctx, in.Password)
	if err != nil {
		return u, o, err
	}
	err = s.tx(ctx, false, func(q store.Q) error {
		now := s.nowMs()
		// Checked again in the transaction: an account made meanwhile closes setup.
		if n, err := store.CountUsers(ctx, q); err != nil {
			return err
		} else if n > 0 {
			return errSetUpAlready()
		}
		if err := store.UseLinkToken(ctx, q, "setup", token.Hash(plain), now); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				// Used meanwhile (two submits at once): a link that existed, not a guess.
				return errf(CodeInviteExpired, "", "this setup link was used already")
			}
			return err
		}
		a := Actor{Kind: "user", Name: in.Name}
		if o, err = s.createOrg(ctx, q, a, in.Slug, in.OrgName); err != nil {
			return err
		}
		u = store.User{ID: store.NewID(), Email: norm, EmailNorm: norm, Name: in.Name, PasswordHash: hash, EmailVerifiedAt: &now,
			CreatedAt: now, LastLoginAt: &now}
		if err := store.CreateUser(ctx, q, u); err != nil {
			return err
		}
		owner, err := store.GetRoleByKey(ctx, q, o.ID, RoleOwner)
		if err != nil {
			return err
		}
		m := store.Membership{ID: store.NewID(), OrgID: o.ID, UserID: u.ID, RoleID: owner.ID, Status: "active", Source: "admin",
			JoinedAt: now, UpdatedAt: now}
		if err := store.CreateMembership(ctx, q, m); err != nil {
			return err
		}
		a.ID, a.UserID, a.OrgID = u.ID, u.ID, o.ID
		return s.writeAudit(ctx, q, s.audit(a, "setup.completed", "member", m.ID, map[string]any{"email": norm}, now))
	})
	return u, o, err
}
