package org

import (
	"context"
	"errors"

	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/token"
)

// admitJoiner makes a confirmed joiner a member with the join role and teams, or, in approval
// mode, records a request for the admins. Limits hold: the join limit counts members who came
// through the link; the seat limit counts as everywhere else.
func (s *Service) admitJoiner(ctx context.Context, q store.Q, o store.Org, u store.User, now int64, out *Joined) error {
	if m, err := store.GetMembershipByUser(ctx, q, o.ID, u.ID); err == nil && m.Status == "active" {
		return nil // already in; nothing to do
	} else if err == nil {
		return errf(CodeDeactivated, "", "your membership of %s is deactivated; ask an admin", o.Name)
	}
	if err := joinLimitLeft(ctx, q, o); err != nil {
		return err
	}
	role, err := roleByKey(ctx, q, o.ID, o.JoinRole)
	if err != nil {
		return err
	}
	a := userActor(u, o.ID)
	a.Kind = "joiner"
	if o.JoinApproval {
		out.Requested = true
		return s.recordJoinRequest(ctx, q, a, o, u, role, now)
	}
	if err := supersedeInvitation(ctx, q, o.ID, u.EmailNorm, now); err != nil {
		return err
	}
	if err := takeSeat(ctx, q, o, now); err != nil {
		return joinFull(o, err)
	}
	m := store.Membership{ID: store.NewID(), OrgID: o.ID, UserID: u.ID, RoleID: role.ID, Status: "active", Source: "join",
		JoinedAt: now, UpdatedAt: now}
	if err := store.CreateMembership(ctx, q, m); err != nil {
		return err
	}
	teams, err := resolveTeams(ctx, q, o.ID, o.JoinTeams)
	if err != nil {
		return err
	}
	for _, t := range teams {
		if err := store.AddTeamMember(ctx, q, t.ID, m.ID); err != nil {
			return err
		}
	}
	if err := s.writeAudit(ctx, q, s.audit(a, "member.joined", "member", m.ID, map[string]any{"email": u.EmailNorm, "role": role.Key}, now)); err != nil {
		return err
	}
	if !o.JoinNotify {
		return nil
	}
	return s.emailDeciders(ctx, q, o, "join_notice", map[string]any{"OrgName": o.Name, "JoinerName": u.Name,
		"JoinerEmail": u.EmailNorm, "RoleName": role.Name, "MemberURL": s.link("/console/" + o.Slug + "/members/" + m.ID)}, now)
}

// recordJoinRequest keeps a confirmed request for the admins as an invitation of kind "join"
// with status "requested": it holds no seat and its token is never sent anywhere.
func (s *Service) recordJoinRequest(ctx context.Context, q store.Q, a Actor, o store.Org, u store.User, role store.Role, now int64) error {
	_, hash := token.New(token.Invite)
	inv := store.Invitation{ID: store.NewID(), OrgID: o.ID, Email: u.EmailNorm, EmailNorm: u.EmailNorm, Name: u.Name, RoleID: role.ID,
		TokenHash: hash, Status: "requested", Kind: "join", ExpiresAt: now + JoinTTL.Milliseconds()*30, DeliveryStatus: "not_sent",
		CreatedAt: now, UpdatedAt: now}
	if err := store.InsertJoinRequest(ctx, q, inv); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil // already requested
		}
		return err
	}
	if err := s.writeAudit(ctx, q, s.audit(a, "join.requested", "invitation", inv.ID, map[string]any{"email": u.EmailNorm}, now)); err != nil {
		return err
	}
	return s.tellDeciders(ctx, q, o, inv, now)
}

// joinRequestNotices is how many admins at most are emailed about one join request (or one
// join), so that an organization with many admins does not send a crowd of emails each time.
const joinRequestNotices = 5

// tellDeciders emails a new join request to the people who may decide it (an active role with
// members:manage, which approving and declining need): owners first, then admins, then custom
// roles, each by who joined first, at most joinRequestNotices of them. The email links to the
// request's console page, never to the person's own confirmation link.
func (s *Service) tellDeciders(ctx context.Context, q store.Q, o store.Org, inv store.Invitation, now int64) error {
	return s.emailDeciders(ctx, q, o, "join_request", map[string]any{"OrgName": o.Name, "RequesterName": inv.Name,
		"RequesterEmail": inv.EmailNorm, "ReviewURL": s.link("/console/" + o.Slug + "/invitations/" + inv.ID)}, now)
}

// emailDeciders queues one email of template to each of the people tellDeciders names.
func (s *Service) emailDeciders(ctx context.Context, q store.Q, o store.Org, template string, data map[string]any, now int64) error {
	admins, err := store.MembersWithPermission(ctx, q, o.ID, string(PermMembersManage), joinRequestNotices)
	if err != nil {
		return err
	}
	for _, m := range admins {
		// No invitation id: the sender would cancel it (a request is not pending) and the
		// request would take this email's delivery status for its own.
		if err := s.mail(ctx, q, o.ID, "", template, m.Email, data, now); err != nil {
			return err
		}
	}
	return nil
}

// DecideJoinRequest approves (making the person a member, if a seat is free) or declines a
// join request; the person is told either way.
func (s *Service) DecideJoinRequest(ctx context.Context, a Actor, id string, approve bool) error {
	if err := a.require(PermMembersManage); err != nil {
		return err
	}
	return s.tx(ctx, true, func(q store.Q) error {
		inv, err := store.GetInvitation(ctx, q, a.OrgID, id)
		if err != nil || inv.Status != "requested" {
			return errf(CodeNotFound, "", "this join request was not found or was decided already")
		}
		o, err := store.GetOrg(ctx, q, a.OrgID)
		if err != nil {
			return err
		}
		now := s.nowMs()
		status, action := "revoked", "join.declined"
		if approve {
			status, action = "accepted", "join.approved"
			if err := s.approveJoin(ctx, q, o, inv, now); err != nil {
				return err
			}
		}
		if err := store.SetInvitationStatus(ctx, q, id, status, now); err != nil {
			return err
		}
		if err := s.writeAudit(ctx, q, s.audit(a, action, "invitation", id, map[string]any{"email": inv.EmailNorm}, now)); err != nil {
			return err
		}
		return s.mail(ctx, q, o.ID, "", "join_decided", inv.EmailNorm, map[string]any{"OrgName": o.Name, "Approved": approve,
			"LoginURL": s.link("/login")}, now)
	})
}

func (s *Service) approveJoin(ctx context.Context, q store.Q, o store.Org, inv store.Invitation, now int64) error {
	u, err := store.GetUserByEmail(ctx, q, inv.EmailNorm)
	if err != nil {
		return err
	}
	if err := joinLimitLeft(ctx, q, o); err != nil {
		if e, ok := AsError(err); ok && e.Code == CodeJoinLimit {
			return errf(CodeJoinLimit, "", "%s has taken as many people through its join link as its limit allows; raise the "+
				"limit in Settings to approve more, or invite this person", o.Name)
		}
		return err
	}
	if err := supersedeInvitation(ctx, q, o.ID, u.EmailNorm, now); err != nil {
		return err
	}
	if err := takeSeat(ctx, q, o, now); err != nil {
		return err
	}
	m := store.Membership{ID: store.NewID(), OrgID: o.ID, UserID: u.ID, RoleID: inv.RoleID, Status: "active", Source: "join",
		JoinedAt: now, UpdatedAt: now}
	if err := store.CreateMembership(ctx, q, m); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil
		}
		return err
	}
	teams, err := resolveTeams(ctx, q, o.ID, o.JoinTeams)
	if err != nil {
		return err
	}
	for _, t := range teams {
		if err := store.AddTeamMember(ctx, q, t.ID, m.ID); err != nil {
			return err
		}
	}
	return nil
}

// joinLimitLeft refuses when the organization has taken as many people through its join link
// as its limit allows.
func joinLimitLeft(ctx context.Context, q store.Q, o store.Org) error {
	if o.JoinLimit == nil {
		return nil
	}
	n, err := store.CountMembersBySource(ctx, q, o.ID, "join")
	if err != nil {
		return err
	}
	if n >= *o.JoinLimit {
		return errf(CodeJoinLimit, "", "%s has taken as many people through its join link as it allows; ask an admin for an invitation", o.Name)
	}
	return nil
}

// joinFull says, to the person joining rather than to an admin, that the organization has no
// seat for them (err is takeSeat's refusal; anything else passes through).
func joinFull(o store.Org, err error) error {
	if e, ok := AsError(err); ok && e.Code == CodeSeatLimit {
		return errf(CodeSeatLimit, "", "%s has no room for new members right now; if you were invited, use the link in "+
			"your invitation email, or ask an admin for one", o.Name)
	}
	return err
}

// joinRoom refuses a request to join when the organization could not take anyone through its
// link now: its join limit is reached, or (without approval, where a request holds no seat)
// every seat is taken. It looks at the organization alone, never at the address, so that its
// answer tells a stranger nothing about who is invited; an invited person uses their
// invitation's link instead.
func (s *Service) joinRoom(ctx context.Context, q store.Q, o store.Org, now int64) error {
	if err := joinLimitLeft(ctx, q, o); err != nil {
		return err
	}
	if o.JoinApproval {
		return nil
	}
	return joinFull(o, takeSeat(ctx, q, o, now))
}
