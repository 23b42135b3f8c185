package org

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/token"
)

// CreatedToken is a new API or SCIM token; Plain is shown once and never stored.
type CreatedToken struct {
	Token store.APIToken
	Plain string
}

// Token lifetimes. Every API and SCIM token expires (SECURITY.md); a year unless its maker
// chooses otherwise.
const (
	DefaultTokenLifetime = 365 * 24 * time.Hour
	MinTokenLifetime     = time.Hour
	MaxTokenLifetime     = 3 * 365 * 24 * time.Hour
)

// ParseTokenLifetime reads a token lifetime as days ("90d") or a Go duration ("720h").
func ParseTokenLifetime(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var d time.Duration
	var err error
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		n, err = strconv.Atoi(days)
		d = time.Duration(n) * 24 * time.Hour
	} else {
		d, err = time.ParseDuration(s)
	}
	if err != nil || d < MinTokenLifetime || d > MaxTokenLifetime {
		return 0, errf(CodeInvalid, "expires_in", "a token's lifetime must be from 1 hour to 3 years, "+
			"in days (90d) or hours (720h), not %q", s)
	}
	return d, nil
}

// CreateToken makes an API ("api") or SCIM ("scim") token for the actor's organization that
// works for DefaultTokenLifetime.
func (s *Service) CreateToken(ctx context.Context, a Actor, kind, name string) (CreatedToken, error) {
	return s.CreateTokenFor(ctx, a, kind, name, DefaultTokenLifetime)
}

// CreateTokenFor makes a token that works for life (MinTokenLifetime to MaxTokenLifetime).
func (s *Service) CreateTokenFor(ctx context.Context, a Actor, kind, name string, life time.Duration) (CreatedToken, error) {
	if err := a.require(PermTokens); err != nil {
		return CreatedToken{}, err
	}
	if !a.MayMakeTokens() {
		return CreatedToken{}, errf(CodeForbidden, "", "only an admin or an owner can create a token: a token acts with the admin role")
	}
	if life < MinTokenLifetime || life > MaxTokenLifetime {
		return CreatedToken{}, errf(CodeInvalid, "expires_in", "a token's lifetime must be from 1 hour to 3 years")
	}
	var k token.Kind
	switch kind {
	case "api":
		k = token.API
	case "scim":
		k = token.SCIM
	default:
		return CreatedToken{}, errf(CodeInvalid, "kind", "token kind must be api or scim, not %q", kind)
	}
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 100 || !oneLine(name) {
		return CreatedToken{}, errf(CodeInvalid, "name", "a token name must be 1 to 100 characters, on one line")
	}
	plain, hash := token.New(k)
	now := s.nowMs()
	expires := now + life.Milliseconds()
	t := store.APIToken{ID: store.NewID(), OrgID: a.OrgID, Kind: kind, Name: name, TokenHash: hash, CreatedBy: a.UserID, CreatedAt: now,
		ExpiresAt: &expires}
	err := s.tx(ctx, false, func(q store.Q) error {
		if err := store.CreateAPIToken(ctx, q, t); err != nil {
			return err
		}
		return s.writeAudit(ctx, q, s.audit(a, "token.created", "token", t.ID, map[string]any{"name": name, "kind": kind,
			"expires_at": time.UnixMilli(expires).UTC().Format(time.RFC3339)}, now))
	})
	return CreatedToken{Token: t, Plain: plain}, err
}

// Token is a token as the console lists it.
type Token struct {
	store.APIToken
	// MakerBelowAdmin: the person who made it could not make it today (their role is not an
	// admin's, as a custom role with tokens:manage could be before tokens needed one), yet it
	// acts as an admin. The console says so, so that an owner can revoke it.
	MakerBelowAdmin bool
}

// ListTokens lists the organization's tokens (never their secrets).
func (s *Service) ListTokens(ctx context.Context, a Actor) ([]Token, error) {
	if err := a.require(PermTokens); err != nil {
		return nil, err
	}
	list, err := store.ListAPITokens(ctx, s.db.R, a.OrgID)
	if err != nil {
		return nil, err
	}
	roles, err := rolesByID(ctx, s.db.R, a.OrgID)
	if err != nil {
		return nil, err
	}
	out := make([]Token, len(list))
	for i, t := range list {
		out[i].APIToken = t
		if t.CreatedBy == "" || t.RevokedAt != nil {
			continue // made from the command line, or no longer working
		}
		m, err := store.GetMembershipByUser(ctx, s.db.R, a.OrgID, t.CreatedBy)
		if errors.Is(err, store.ErrNotFound) {
			continue // the maker left; what they could do no longer says anything
		}
		if err != nil {
			return nil, err
		}
		out[i].MakerBelowAdmin = !within(adminRole, roles[m.RoleID])
	}
	return out, nil
}

// RevokeToken revokes a token at once.
func (s *Service) RevokeToken(ctx context.Context, a Actor, id string) error {
	if err := a.require(PermTokens); err != nil {
		return err
	}
	err := s.tx(ctx, false, func(q store.Q) error {
		now := s.nowMs()
		if err := store.RevokeAPIToken(ctx, q, a.OrgID, id, now); err != nil {
			return notFound(err, "token")
		}
		return s.writeAudit(ctx, q, s.audit(a, "token.revoked", "token", id, nil, now))
	})
	s.tokens.invalidate()
	return err
}

// ErrBadToken is returned by Authenticate for a missing, malformed, unknown or revoked token.
var ErrBadToken = errf(CodeUnauthenticated, "", "the bearer token is missing, unknown or revoked")

// ErrTokenExpired is returned by Authenticate for a token past its expiry: it says so, so that
// whoever runs the integration knows to make a new one.
var ErrTokenExpired = errf(CodeUnauthenticated, "", "the bearer token has expired; an admin can make a new one in the console "+
	"(Settings, API and SCIM tokens)")

// Authenticate turns a bearer token of the given kind ("api" or "scim") into an Actor for its
// organization. API tokens act with the admin role; SCIM tokens may only do what SCIM needs.
func (s *Service) Authenticate(ctx context.Context, kind, plain string) (Actor, error) {
	k := token.API
	if kind == "scim" {
		k = token.SCIM
	}
	if !token.Looks(plain, k) {
		return Actor{}, ErrBadToken
	}
	hash, wall := token.Hash(plain), time.Now()
	e, fresh, gen := s.tokens.get(hash, wall)
	if !fresh {
		t, role, err := store.GetAPITokenWithRole(ctx, s.db.R, hash, RoleAdmin)
		if errors.Is(err, store.ErrNotFound) {
			return Actor{}, ErrBadToken
		}
		if err != nil {
			return Actor{}, err
		}
		e = tokenEntry{kind: t.Kind, at: wall, expires: t.ExpiresAt,
			actor: Actor{Kind: t.Kind + "_token", ID: t.ID, Name: t.Name, UserID: t.CreatedBy, OrgID: t.OrgID, Role: role}}
		// Who the token's emails are from is read with it, and cached as long.
		e.actor.from = readMailFrom(ctx, s.db.R, t.CreatedBy)
		if t.LastUsedAt != nil {
			e.lastUsed = *t.LastUsedAt
		}
		s.tokens.put(hash, e, gen)
	}
	if e.kind != kind {
		return Actor{}, ErrBadToken
	}
	now := s.nowMs()
	if (store.APIToken{ExpiresAt: e.expires}).Expired(now) {
		return Actor{}, ErrTokenExpired
	}
	if e.lastUsed < now-60_000 {
		_ = s.db.Tx(ctx, func(q store.Q) error { return store.TouchAPIToken(ctx, q, e.actor.ID, now) })
		s.tokens.touched(hash, now)
	}
	return e.actor, nil
}
