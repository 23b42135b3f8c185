package org

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/lobby/lobby/app/address"
	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/token"
)

// JoinTTL is how long a join confirmation link works.
const JoinTTL = 24 * time.Hour

// Join codes.
const (
	CodeJoinInactive   = "join_inactive"
	CodeJoinNotAllowed = "join_not_allowed"
	CodeJoinLimit      = "join_limit_reached"
)

// JoinPage returns the organization behind an active join link. A link that is off,
// regenerated, past its end date or unknown is join_inactive.
func (s *Service) JoinPage(ctx context.Context, slug string) (store.Org, error) {
	o, err := store.GetOrgByJoinSlug(ctx, s.db.R, strings.ToLower(slug))
	if err != nil {
		return o, errf(CodeJoinInactive, "", "this join link is not active")
	}
	return o, s.joinActive(o)
}

func (s *Service) joinActive(o store.Org) error {
	if !o.JoinEnabled || (o.JoinEndsAt != nil && *o.JoinEndsAt <= s.nowMs()) {
		return errf(CodeJoinInactive, "", "this join link is not active")
	}
	return nil
}

// joinAllowed reports whether a normalised address is on the organization's whitelist.
func joinAllowed(o store.Org, norm string) bool {
	for _, e := range o.JoinAllowedEmails {
		if e == norm {
			return true
		}
	}
	return address.DomainAllowed(norm, o.JoinAllowedDomains, o.JoinAllowSubdomains)
}

type joinData struct {
	OrgID string `json:"org"`
	Slug  string `json:"slug"`
}

// RequestJoin handles an address typed on the join page. Not on the whitelist: an error that
// never reveals the whitelist. Allowed: an email goes out — a confirmation link for a new
// member, a sign-in note for an existing one. Nothing is created in the organization yet.
func (s *Service) RequestJoin(ctx context.Context, slug, email string) error {
	o, err := s.JoinPage(ctx, slug)
	if err != nil {
		return err
	}
	norm, err := normaliseEmail("email", email)
	if err != nil {
		return err
	}
	if !joinAllowed(o, norm) {
		return errf(CodeJoinNotAllowed, "email", "this address cannot join %s; ask an admin for an invitation", o.Name)
	}
	return s.tx(ctx, true, func(q store.Q) error {
		now := s.nowMs()
		// A full organization says so now, before the person chooses a password for nothing.
		if err := s.joinRoom(ctx, q, o, now); err != nil {
			return err
		}
		if u, err := store.GetUserByEmail(ctx, q, norm); err == nil {
			if m, err := store.GetMembershipByUser(ctx, q, o.ID, u.ID); err == nil && m.Status == "active" {
				return s.mail(ctx, q, o.ID, "", "join_member", norm, map[string]any{"OrgName": o.Name, "LoginURL": s.link("/login")}, now)
			}
		}
		if err := store.RetireLinkTokens(ctx, q, "join", norm, now); err != nil {
			return err
		}
		plain, hash := token.New(token.Join)
		data, _ := json.Marshal(joinData{OrgID: o.ID, Slug: o.JoinSlug})
		if err := store.CreateLinkToken(ctx, q, store.LinkToken{TokenHash: hash, Kind: "join", OrgID: o.ID, EmailNorm: norm,
			Data: string(data), ExpiresAt: now + JoinTTL.Milliseconds(), CreatedAt: now}); err != nil {
			return err
		}
		return s.mail(ctx, q, o.ID, "", "join_confirm", norm, map[string]any{"OrgName": o.Name,
			"ConfirmURL": s.link("/join/confirm/" + plain), "ExpiresIn": "24 hours"}, now)
	})
}

// JoinLink is an opened join confirmation link.
type JoinLink struct {
	Org        store.Org
	Email      string
	HasAccount bool
}

// OpenJoinLink checks a confirmation link without using it.
func (s *Service) OpenJoinLink(ctx context.Context, plain string) (JoinLink, error) {
	var out JoinLink
	t, o, err := s.joinLinkState(ctx, s.db.R, plain)
	if err != nil {
		return out, err
	}
	out.Org, out.Email = o, t.EmailNorm
	out.HasAccount, err = s.HasAccount(ctx, t.EmailNorm)
	return out, err
}

// joinLinkState loads a join link and its organization, failing when either is no longer usable:
// used, expired, the page switched off or its link regenerated since the email went out.
func (s *Service) joinLinkState(ctx context.Context, q store.Q, plain string) (store.LinkToken, store.Org, error) {
	bad := errf(CodeNotFound, "", "this confirmation link is not valid; ask for a new one on the join page")
	if !token.Looks(plain, token.Join) {
		return store.LinkToken{}, store.Org{}, bad
	}
	t, err := store.GetLinkToken(ctx, q, "join", token.Hash(plain))
	if err != nil {
		return t, store.Org{}, bad
	}
	if t.UsedAt != nil || t.ExpiresAt <= s.nowMs() {
		return t, store.Org{}, errf(CodeInviteExpired, "", "this confirmation link has expired or was already used; ask for a new one on the join page")
	}
	var d joinData
	_ = json.Unmarshal([]byte(t.Data), &d)
	o, err := store.GetOrg(ctx, q, d.OrgID)
	if err != nil {
		return t, o, bad
	}
	if err := s.joinActive(o); err != nil || o.JoinSlug != d.Slug {
		return t, o, errf(CodeJoinInactive, "", "the join link of %s is no longer active", o.Name)
	}
	if !joinAllowed(o, t.EmailNorm) { // the whitelist changed since the link was sent
		return t, o, errf(CodeJoinNotAllowed, "", "this address can no longer join %s through its link; ask an admin for an invitation", o.Name)
	}
	return t, o, nil
}

// Joined is the outcome of confirming a join link.
type Joined struct {
	Org  store.Org
	User store.User
	// Requested is true when an admin must approve first.
	Requested bool
}

// ConfirmJoin uses a join link: for a new person with su (an account is made, its address
// verified by the link), for an existing one with their user id (they proved it by signing in).
// The join page, the end date, the join limit and the seat limit are all checked again here,
// in the same transaction as the membership.
func (s *Service) ConfirmJoin(ctx context.Context, plain, userID string, su *SignUp) (Joined, error) {
	var out Joined
	err := s.tx(ctx, true, func(q store.Q) error {
		t, o, err := s.joinLinkState(ctx, q, plain)
		if err != nil {
			return err
		}
		out.Org = o
		now := s.nowMs()
		if err := store.UseLinkToken(ctx, q, "join", t.TokenHash, now); err != nil {
			return errf(CodeInviteUsed, "", "this confirmation link was already used")
		}
		if su != nil && su.PasswordHash != "" {
			if p := s.requiredProvider(o, t.EmailNorm); p != "" {
				return s.ssoRequired(o, p, t.EmailNorm)
			}
		}
		u, err := s.joiningUser(ctx, q, t.EmailNorm, userID, su, now)
		if err != nil {
			return err
		}
		out.User = u
		return s.admitJoiner(ctx, q, o, u, now, &out)
	})
	return out, err
}

func (s *Service) joiningUser(ctx context.Context, q store.Q, norm, userID string, su *SignUp, now int64) (store.User, error) {
	if su == nil {
		u, err := store.GetUser(ctx, q, userID)
		if err != nil || u.EmailNorm != norm {
			return u, errf(CodeWrongPerson, "", "this link is for %s; sign in as that person", norm)
		}
		return u, store.MarkEmailVerified(ctx, q, u.ID, now)
	}
	name := strings.TrimSpace(su.Name)
	if name == "" || len([]rune(name)) > 200 || !oneLine(name) {
		return store.User{}, errf(CodeInvalid, "name", "enter your name on one line (at most 200 characters)")
	}
	u := store.User{ID: store.NewID(), Email: norm, EmailNorm: norm, Name: name, PasswordHash: su.PasswordHash,
		EmailVerifiedAt: &now, CreatedAt: now, LastLoginAt: &now}
	if err := store.CreateUser(ctx, q, u); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return u, errf(CodeEmailTaken, "email", "%s already has an account; sign in to join", norm)
		}
		return u, err
	}
	return u, nil
}
