package org

import (
	"cmp"
	"context"
	"errors"
	"strings"

	"github.com/lobby/lobby/app/store"
)

// NewMember asks to put a person straight into an organization without an invitation, as the
// CLI's "admin create" and first-run setup do.
type NewMember struct {
	Email, Name  string
	PasswordHash string
	Role         string
	Source       string // admin | scim | join
}

// AddMember creates the person if their address is new (verified: an admin vouches for it) and
// makes them a member with the given role. The seat limit holds here as on every path in.
func (s *Service) AddMember(ctx context.Context, a Actor, nm NewMember) (MemberView, error) {
	if err := a.require(PermMembersManage); err != nil {
		return MemberView{}, err
	}
	norm, err := normaliseEmail("email", nm.Email)
	if err != nil {
		return MemberView{}, err
	}
	nm.Name = strings.TrimSpace(nm.Name)
	if len([]rune(nm.Name)) > 200 || !oneLine(nm.Name) {
		return MemberView{}, errf(CodeInvalid, "name", "the name must be on one line, at most 200 characters")
	}
	var id string
	err = s.tx(ctx, false, func(q store.Q) error {
		o, err := store.GetOrg(ctx, q, a.OrgID)
		if err != nil {
			return notFound(err, "organization")
		}
		role, err := roleByKey(ctx, q, o.ID, cmp.Or(nm.Role, o.DefaultRole))
		if err != nil {
			return err
		}
		if err := mayGrant(a, role); err != nil {
			return err
		}
		now := s.nowMs()
		u, made, err := s.newMemberPerson(ctx, q, o, store.User{Email: norm, EmailNorm: norm, Name: nm.Name, PasswordHash: nm.PasswordHash}, "email", now)
		if err != nil {
			return err
		}
		if err := takeSeat(ctx, q, o, now); err != nil {
			return err
		}
		id = store.NewID()
		m := store.Membership{ID: id, OrgID: o.ID, UserID: u.ID, RoleID: role.ID, Status: "active",
			Source: cmp.Or(nm.Source, "admin"), MadeAccount: made, JoinedAt: now, UpdatedAt: now}
		if err := store.CreateMembership(ctx, q, m); err != nil {
			return err
		}
		return s.writeAudit(ctx, q, s.audit(a, "member.added", "member", id, map[string]any{"email": norm, "role": role.Key}, now))
	})
	if err != nil {
		return MemberView{}, err
	}
	return s.member(ctx, s.db.R, a.OrgID, id)
}

// newMemberPerson readies a person to become a member of o without an invitation (an admin
// adds them, or SCIM provisions them): it finds the account of the address or creates it
// (verified: the admin or the identity provider vouches for it), refuses someone who already
// has a membership, and supersedes their pending invitation, which would otherwise hold a
// second seat. made is whether it created the account. The caller takes the seat and inserts
// the membership.
func (s *Service) newMemberPerson(ctx context.Context, q store.Q, o store.Org, want store.User, field string, now int64) (u store.User, made bool, err error) {
	u, err = store.GetUserByEmail(ctx, q, want.EmailNorm)
	if errors.Is(err, store.ErrNotFound) {
		u, made = want, true
		u.ID, u.EmailVerifiedAt, u.CreatedAt = store.NewID(), &now, now
		err = store.CreateUser(ctx, q, u)
	}
	if err != nil {
		return u, made, err
	}
	if _, err := store.GetMembershipByUser(ctx, q, o.ID, u.ID); err == nil {
		return u, made, errf(CodeAlreadyMember, field, "%s is already a member of %s", want.EmailNorm, o.Name)
	}
	return u, made, supersedeInvitation(ctx, q, o.ID, want.EmailNorm, now)
}

// supersedeInvitation revokes the pending invitation of an address that becomes a member by
// another way (an admin, SCIM, the join page), before its seat is taken: the invitation would
// otherwise hold a second seat, and its link let them in twice.
func supersedeInvitation(ctx context.Context, q store.Q, orgID, norm string, now int64) error {
	if err := store.ExpireEmails(ctx, q, orgID, []string{norm}, now); err != nil {
		return err
	}
	pending, err := store.PendingInvitationsByEmail(ctx, q, orgID, []string{norm})
	if err != nil {
		return err
	}
	for _, inv := range pending {
		if err := store.RevokeInvitation(ctx, q, orgID, inv.ID, now); err != nil {
			return err
		}
	}
	return nil
}
