package org

import (
	"cmp"
	"context"
	"errors"
	"strings"

	"github.com/lobby/lobby/app/address"
	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/token"
)

// OpenedInvitation is what the invitation page shows: the invitation, its organization and
// teams, and whether it can still be accepted.
type OpenedInvitation struct {
	Invitation store.Invitation
	Org        store.Org
	RoleName   string
	Teams      []string
}

// OpenInvitation looks up an invitation by its link token without consuming it (mail scanners
// open links). It records the first opening. An unusable link is an *Error with a code
// (invitation_expired, invitation_revoked, invitation_used, not_found) and, where known, the
// invitation so the page can name the inviter.
func (s *Service) OpenInvitation(ctx context.Context, plain string) (OpenedInvitation, error) {
	var out OpenedInvitation
	if !token.Looks(plain, token.Invite) {
		return out, errf(CodeNotFound, "", "this invitation link is not valid")
	}
	inv, err := store.GetInvitationByToken(ctx, s.db.R, token.Hash(plain))
	if errors.Is(err, store.ErrNotFound) {
		return out, errf(CodeNotFound, "", "this invitation link is not valid; it may have been replaced by a newer one")
	}
	if err != nil {
		return out, err
	}
	out.Invitation = inv
	if out.Org, err = store.GetOrg(ctx, s.db.R, inv.OrgID); err != nil {
		return out, err
	}
	role, err := store.GetRole(ctx, s.db.R, inv.OrgID, inv.RoleID)
	if err != nil {
		return out, err
	}
	out.RoleName = role.Name
	teams, err := store.TeamsOfInvitations(ctx, s.db.R, []string{inv.ID})
	if err != nil {
		return out, err
	}
	out.Teams = names(teams[inv.ID])
	if err := s.usable(inv); err != nil {
		return out, err
	}
	if inv.OpenedAt == nil {
		_ = s.db.Tx(ctx, func(q store.Q) error { return store.MarkInvitationOpened(ctx, q, inv.ID, s.nowMs()) })
	}
	return out, nil
}

// usable explains why an invitation cannot be accepted, or returns nil.
func (s *Service) usable(inv store.Invitation) error {
	inviter := cmp.Or(inv.InviterName, inv.InviterEmail, "the person who invited you")
	switch {
	case inv.Status == "accepted":
		return errf(CodeInviteUsed, "", "this invitation has already been used")
	case inv.Status == "revoked":
		return errf(CodeInviteRevoked, "", "this invitation was withdrawn; ask %s if you still need access", inviter)
	case inv.Status == "expired" || inv.ExpiresAt <= s.nowMs():
		return errf(CodeInviteExpired, "", "this invitation has expired; ask %s to send a new one", inviter)
	}
	return nil
}

// Accepted is the outcome of accepting an invitation.
type Accepted struct {
	Org        store.Org
	Membership store.Membership
	User       store.User
	// AlreadyMember is true when the person was already an active member; nothing changed.
	AlreadyMember bool
}

// Accept accepts an invitation for an existing, signed-in person. Their verified address must
// be the invited one. Consuming the link, creating the membership, the audit row and the note
// to the inviter happen in one transaction.
func (s *Service) Accept(ctx context.Context, plain, userID string) (Accepted, error) {
	var out Accepted
	err := s.tx(ctx, true, func(q store.Q) error {
		u, err := store.GetUser(ctx, q, userID)
		if err != nil {
			return notFound(err, "account")
		}
		out.User = u
		return s.accept(ctx, q, plain, u, &out)
	})
	if err == nil {
		s.metrics.Invitations.WithLabelValues("accepted").Inc()
	}
	return out, err
}

// SignUp is a new account created from an invitation link.
type SignUp struct {
	Name         string
	PasswordHash string // already hashed by the caller; empty for SSO-only accounts
}

// AcceptNewAccount creates the invited person's account (its address verified: the link
// proves it) and accepts the invitation, in one transaction. An address that already has an
// account answers email_taken: that person must sign in instead.
func (s *Service) AcceptNewAccount(ctx context.Context, plain string, su SignUp) (Accepted, error) {
	var out Accepted
	su.Name = strings.TrimSpace(su.Name)
	if su.Name == "" || len([]rune(su.Name)) > 200 || !oneLine(su.Name) {
		return out, errf(CodeInvalid, "name", "enter your name on one line (at most 200 characters)")
	}
	err := s.tx(ctx, true, func(q store.Q) error {
		inv, err := s.invitationForAccept(ctx, q, plain)
		if err != nil {
			return err
		}
		if su.PasswordHash != "" {
			// An organization that requires SSO for this domain gets no password accounts.
			o, err := store.GetOrg(ctx, q, inv.OrgID)
			if err != nil {
				return err
			}
			if p := s.requiredProvider(o, inv.EmailNorm); p != "" {
				return s.ssoRequired(o, p, inv.EmailNorm)
			}
		}
		now := s.nowMs()
		u := store.User{ID: store.NewID(), Email: inv.Email, EmailNorm: inv.EmailNorm, Name: su.Name,
			PasswordHash: su.PasswordHash, EmailVerifiedAt: &now, CreatedAt: now, LastLoginAt: &now}
		if err := store.CreateUser(ctx, q, u); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return errf(CodeEmailTaken, "email", "%s already has an account; sign in to accept", inv.EmailNorm)
			}
			return err
		}
		out.User = u
		return s.accept(ctx, q, plain, u, &out)
	})
	if err == nil {
		s.metrics.Invitations.WithLabelValues("accepted").Inc()
	}
	return out, err
}

func (s *Service) invitationForAccept(ctx context.Context, q store.Q, plain string) (store.Invitation, error) {
	if !token.Looks(plain, token.Invite) {
		return store.Invitation{}, errf(CodeNotFound, "", "this invitation link is not valid")
	}
	inv, err := store.GetInvitationByToken(ctx, q, token.Hash(plain))
	if errors.Is(err, store.ErrNotFound) {
		return inv, errf(CodeNotFound, "", "this invitation link is not valid; it may have been replaced by a newer one")
	}
	if err != nil {
		return inv, err
	}
	return inv, s.usable(inv)
}

func (s *Service) accept(ctx context.Context, q store.Q, plain string, u store.User, out *Accepted) error {
	inv, err := s.invitationForAccept(ctx, q, plain)
	if err != nil {
		return err
	}
	if u.EmailVerifiedAt == nil || u.EmailNorm != inv.EmailNorm {
		return errf(CodeWrongPerson, "", "this invitation is for %s, but you are signed in as %s", inv.EmailNorm, u.EmailNorm)
	}
	if u.DisabledAt != nil {
		return errf(CodeForbidden, "", "this account is disabled")
	}
	now := s.nowMs()
	if err := store.ConsumeInvitation(ctx, q, inv.ID, u.ID, now); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return errf(CodeInviteUsed, "", "this invitation has already been used")
		}
		return err
	}
	if out.Org, err = store.GetOrg(ctx, q, inv.OrgID); err != nil {
		return err
	}
	teams, err := store.TeamsOfInvitations(ctx, q, []string{inv.ID})
	if err != nil {
		return err
	}
	m, err := store.GetMembershipByUser(ctx, q, inv.OrgID, u.ID)
	switch {
	case err == nil && m.Status == "active":
		out.AlreadyMember = true
	case err == nil:
		// A deactivated member invited again comes back with the invited role; the invitation
		// held the seat, so no new seat is taken.
		if err := store.SetMembershipStatus(ctx, q, inv.OrgID, m.ID, "active", now); err != nil {
			return err
		}
		if err := store.SetMembershipRole(ctx, q, inv.OrgID, m.ID, inv.RoleID, now); err != nil {
			return err
		}
	case errors.Is(err, store.ErrNotFound):
		m = store.Membership{ID: store.NewID(), OrgID: inv.OrgID, UserID: u.ID, RoleID: inv.RoleID, Status: "active",
			Source: "invite", JoinedAt: now, UpdatedAt: now}
		if err := store.CreateMembership(ctx, q, m); err != nil {
			return err
		}
	default:
		return err
	}
	for _, t := range teams[inv.ID] {
		if err := store.AddTeamMember(ctx, q, t.ID, m.ID); err != nil {
			return err
		}
	}
	if err := store.GrantInvitationResources(ctx, q, inv.ID, m.ID); err != nil {
		return err
	}
	if out.Membership, err = store.GetMembership(ctx, q, inv.OrgID, m.ID); err != nil {
		return err
	}
	a := userActor(u, inv.OrgID)
	if err := s.writeAudit(ctx, q, s.audit(a, "invitation.accepted", "invitation", inv.ID,
		map[string]any{"email": u.EmailNorm, "membership": m.ID, "already_member": out.AlreadyMember}, now)); err != nil {
		return err
	}
	if inv.InviterEmail == "" {
		return nil
	}
	return s.mail(ctx, q, inv.OrgID, "", "accepted_notice", inv.InviterEmail, map[string]any{
		"OrgName": out.Org.Name, "InviteeEmail": u.EmailNorm, "InviteeName": u.Name,
		"MemberURL": s.link("/console/" + out.Org.Slug + "/members/" + m.ID)}, now)
}

// normaliseEmail wraps the one address parser with an org error naming the field.
func normaliseEmail(field, raw string) (string, error) {
	norm, err := address.Parse(raw)
	if err != nil {
		return "", errf(CodeInvalidEmail, field, "%s", err.Error())
	}
	return norm, nil
}
