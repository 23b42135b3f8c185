package org

import (
	"context"
	"errors"
	"strings"

	"github.com/lobby/lobby/app/store"
)

// Codes of sign-in with an OpenID provider.
const (
	// CodeIdentityUnknown: no account is linked to this login.
	CodeIdentityUnknown = "identity_unknown"
	// CodeIdentityTaken: the login is linked to another account.
	CodeIdentityTaken = "identity_taken"
	// CodeEmailUnverified: the provider did not confirm the login's address.
	CodeEmailUnverified = "email_unverified"
	// CodeLastLogin: unlinking would leave the account with no way to sign in.
	CodeLastLogin = "last_login"
)

// Identity is a login an OpenID provider verified. People are identified by (Issuer,
// Subject); Email is set only when the provider confirmed it, and only then may it match an
// invitation, a join whitelist or an account.
type Identity struct {
	Issuer, Subject string
	Email           string // normalised; "" when the provider did not verify it
	Name            string
	ProviderID      string // the configured provider id
	Provider        string // its display name, for messages
}

// SignInWithIdentity signs in the account linked to a login. An unknown login is
// identity_unknown: the caller decides whether to offer linking (never done silently).
func (s *Service) SignInWithIdentity(ctx context.Context, id Identity) (store.User, error) {
	link, err := store.GetIdentity(ctx, s.db.R, id.Issuer, id.Subject)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, errf(CodeIdentityUnknown, "", "no account is linked to this %s login", id.Provider)
	}
	if err != nil {
		return store.User{}, err
	}
	u, err := store.GetUser(ctx, s.db.R, link.UserID)
	if err != nil {
		return u, err
	}
	if u.DisabledAt != nil {
		return store.User{}, errf(CodeForbidden, "", "this account is disabled")
	}
	if err := s.checkLoginMethod(ctx, u, id.ProviderID); err != nil {
		return store.User{}, err
	}
	err = s.tx(ctx, false, func(q store.Q) error {
		if id.Email != "" && id.Email != link.Email {
			if err := store.SetIdentityEmail(ctx, q, link.ID, id.Email); err != nil {
				return err
			}
		}
		return store.TouchLogin(ctx, q, u.ID, s.nowMs())
	})
	return u, err
}

// LinkIdentity links a login to a person who proved the account (signed in, or typed its
// password). Linking the same login twice is a no-op; a login linked to someone else is
// identity_taken.
func (s *Service) LinkIdentity(ctx context.Context, userID string, id Identity) error {
	return s.tx(ctx, false, func(q store.Q) error {
		u, err := store.GetUser(ctx, q, userID)
		if err != nil {
			return notFound(err, "account")
		}
		_, err = s.linkIdentity(ctx, q, u, id)
		return err
	})
}

// linkIdentity links id to u inside a transaction and reports whether a link was created.
func (s *Service) linkIdentity(ctx context.Context, q store.Q, u store.User, id Identity) (bool, error) {
	if id.Issuer == "" || id.Subject == "" {
		return false, errf(CodeInvalid, "", "the login has no issuer or subject")
	}
	now := s.nowMs()
	err := store.CreateIdentity(ctx, q, store.Identity{ID: store.NewID(), UserID: u.ID, Issuer: id.Issuer, Subject: id.Subject,
		Email: id.Email, CreatedAt: now})
	if errors.Is(err, store.ErrConflict) {
		cur, gerr := store.GetIdentity(ctx, q, id.Issuer, id.Subject)
		if gerr == nil && cur.UserID == u.ID {
			return false, nil
		}
		return false, errf(CodeIdentityTaken, "", "this %s login is already linked to another account", id.Provider)
	}
	if err != nil {
		return false, err
	}
	a := userActor(u, "")
	return true, s.writeAudit(ctx, q, s.audit(a, "identity.linked", "user", u.ID,
		map[string]any{"provider": id.ProviderID, "issuer": id.Issuer, "email": id.Email}, now))
}

// Identities lists a person's linked logins.
func (s *Service) Identities(ctx context.Context, userID string) ([]store.Identity, error) {
	return store.ListIdentities(ctx, s.db.R, userID)
}

// UnlinkIdentity removes one of a person's logins, unless it is their last way to sign in:
// they need a password or another linked login first.
func (s *Service) UnlinkIdentity(ctx context.Context, userID, identityID string) error {
	return s.tx(ctx, false, func(q store.Q) error {
		u, err := store.GetUser(ctx, q, userID)
		if err != nil {
			return notFound(err, "account")
		}
		list, err := store.ListIdentities(ctx, q, userID)
		if err != nil {
			return err
		}
		var gone *store.Identity
		for i := range list {
			if list[i].ID == identityID {
				gone = &list[i]
			}
		}
		if gone == nil {
			return errf(CodeNotFound, "", "that login is not linked to your account")
		}
		if u.PasswordHash == "" && len(list) < 2 {
			return errf(CodeLastLogin, "", "this is your only way to sign in; set a password or link another login first")
		}
		if err := store.DeleteIdentity(ctx, q, userID, identityID); err != nil {
			return notFound(err, "login")
		}
		a := userActor(u, "")
		return s.writeAudit(ctx, q, s.audit(a, "identity.unlinked", "user", u.ID,
			map[string]any{"issuer": gone.Issuer, "email": gone.Email}, s.nowMs()))
	})
}

// AcceptWithIdentity accepts an invitation with a login whose verified address is the invited
// one. The account is the one linked to the login, else the one with that address if
// signedInUserID is it, else a new one without a password. An account with that address the
// person has not proved is email_taken: they must sign in with its password once to link.
// Creating the account, linking the login and accepting happen in one transaction.
func (s *Service) AcceptWithIdentity(ctx context.Context, plain string, id Identity, signedInUserID string) (Accepted, error) {
	var out Accepted
	err := s.tx(ctx, true, func(q store.Q) error {
		inv, err := s.invitationForAccept(ctx, q, plain)
		if err != nil {
			return err
		}
		if err := s.identityMatches(ctx, q, id, inv.EmailNorm, inv.OrgID); err != nil {
			return err
		}
		if out.User, err = s.identityUser(ctx, q, id, inv.EmailNorm, signedInUserID); err != nil {
			return err
		}
		return s.accept(ctx, q, plain, out.User, &out)
	})
	if err == nil {
		s.metrics.Invitations.WithLabelValues("accepted").Inc()
	}
	return out, err
}

// identityMatches checks a login may act for the address want in organization orgID.
func (s *Service) identityMatches(ctx context.Context, q store.Q, id Identity, want, orgID string) error {
	if id.Email == "" {
		return errf(CodeEmailUnverified, "", "%s did not confirm an email address for this login, so it cannot be used for %s",
			id.Provider, want)
	}
	if id.Email != want {
		return errf(CodeWrongPerson, "", "this is for %s, but your %s login is %s", want, id.Provider, id.Email)
	}
	o, err := store.GetOrg(ctx, q, orgID)
	if err != nil {
		return err
	}
	if p := s.requiredProvider(o, want); p != "" && p != id.ProviderID {
		return s.ssoRequired(o, p, want)
	}
	return nil
}

// identityUser finds or makes the account a verified login acts for (see AcceptWithIdentity)
// and links the login to it. want is the address the login must have.
func (s *Service) identityUser(ctx context.Context, q store.Q, id Identity, want, signedInUserID string) (store.User, error) {
	now := s.nowMs()
	var u store.User
	link, err := store.GetIdentity(ctx, q, id.Issuer, id.Subject)
	switch {
	case err == nil:
		if u, err = store.GetUser(ctx, q, link.UserID); err != nil {
			return u, err
		}
	case !errors.Is(err, store.ErrNotFound):
		return u, err
	default:
		u, err = store.GetUserByEmail(ctx, q, want)
		switch {
		case err == nil && u.ID != signedInUserID:
			return u, errf(CodeEmailTaken, "email", "%s already has an account; sign in with its password once to link your %s login",
				want, id.Provider)
		case errors.Is(err, store.ErrNotFound):
			u = store.User{ID: store.NewID(), Email: id.Email, EmailNorm: want, Name: nameFor(id), EmailVerifiedAt: &now,
				CreatedAt: now, LastLoginAt: &now}
			if err := store.CreateUser(ctx, q, u); err != nil {
				return u, err
			}
		case err != nil:
			return u, err
		}
		if _, err := s.linkIdentity(ctx, q, u, id); err != nil {
			return u, err
		}
	}
	// The same refusals as signing in with this login (SignInWithIdentity): a disabled account,
	// and, for someone not signed in already, an organization of theirs that requires another
	// provider for their address.
	if u.DisabledAt != nil {
		return store.User{}, errf(CodeForbidden, "", "this account is disabled")
	}
	if u.ID != signedInUserID {
		if err := s.checkLoginMethod(ctx, u, id.ProviderID); err != nil {
			return store.User{}, err
		}
	}
	if u.EmailNorm == id.Email && u.EmailVerifiedAt == nil {
		// The provider confirmed the address, as the invitation link would have.
		if err := store.MarkEmailVerified(ctx, q, u.ID, now); err != nil {
			return u, err
		}
		u.EmailVerifiedAt = &now
	}
	return u, nil
}

// nameFor is the display name of a new account made from a login.
func nameFor(id Identity) string {
	if n := toOneLine(id.Name); n != "" {
		return n
	}
	local, _, _ := strings.Cut(id.Email, "@")
	return local
}
