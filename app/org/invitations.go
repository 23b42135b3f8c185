package org

import (
	"context"
	"errors"
	"strings"

	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/token"
)

// InvitationView is an invitation with its team names, as lists and detail pages show it.
type InvitationView struct {
	store.Invitation
	Teams []string
}

// ListInvitations returns one page of invitations. An invitation past its expiry that the
// job has not swept yet is already shown as expired, and the status filter agrees: "pending"
// leaves it out and "expired" takes it, judged by the service's clock.
func (s *Service) ListInvitations(ctx context.Context, a Actor, f store.InvitationFilter) ([]InvitationView, error) {
	if err := a.require(PermMembersRead); err != nil {
		return nil, err
	}
	switch f.Status {
	case "", "pending", "accepted", "expired", "revoked", "requested":
	default:
		return nil, errf(CodeInvalid, "status", "status %q is not one of pending, accepted, expired, revoked, requested", f.Status)
	}
	now := s.nowMs() // one instant for the filter and the statuses shown
	list, err := store.ListInvitations(ctx, s.db.R, a.OrgID, f, now)
	if err != nil {
		return nil, err
	}
	return s.viewsAt(ctx, list, now)
}

// Invitation reads one invitation of the actor's organization.
func (s *Service) Invitation(ctx context.Context, a Actor, id string) (InvitationView, error) {
	if err := a.require(PermMembersRead); err != nil {
		return InvitationView{}, err
	}
	inv, err := store.GetInvitation(ctx, s.db.R, a.OrgID, id)
	if err != nil {
		return InvitationView{}, notFound(err, "invitation")
	}
	v, err := s.views(ctx, []store.Invitation{inv})
	if err != nil {
		return InvitationView{}, err
	}
	return v[0], nil
}

func (s *Service) views(ctx context.Context, list []store.Invitation) ([]InvitationView, error) {
	return s.viewsAt(ctx, list, s.nowMs())
}

// viewsAt adds the team names and shows a pending invitation past its expiry at now as expired.
func (s *Service) viewsAt(ctx context.Context, list []store.Invitation, now int64) ([]InvitationView, error) {
	idl := make([]string, len(list))
	for i, inv := range list {
		idl[i] = inv.ID
	}
	teams, err := store.TeamsOfInvitations(ctx, s.db.R, idl)
	if err != nil {
		return nil, err
	}
	out := make([]InvitationView, len(list))
	for i, inv := range list {
		if inv.Status == "pending" && inv.ExpiresAt <= now {
			inv.Status = "expired"
		}
		out[i] = InvitationView{Invitation: inv, Teams: names(teams[inv.ID])}
		if out[i].Teams == nil {
			out[i].Teams = []string{}
		}
	}
	return out, nil
}

// InvitationEdit changes a pending invitation; nil fields stay as they are.
type InvitationEdit struct {
	Role  *string
	Teams *[]string
}

// EditInvitation changes the role or teams of a pending invitation.
func (s *Service) EditInvitation(ctx context.Context, a Actor, id string, e InvitationEdit) (InvitationView, error) {
	if err := a.require(PermInvite); err != nil {
		return InvitationView{}, err
	}
	if e.Role == nil && e.Teams == nil {
		// Nothing to change and nothing to record, but the same answer about an invitation
		// that can no longer be edited.
		if _, err := s.pendingForChange(ctx, s.db.R, a.OrgID, id, "edited"); err != nil {
			return InvitationView{}, err
		}
		return s.Invitation(ctx, a, id)
	}
	err := s.tx(ctx, false, func(q store.Q) error {
		inv, err := s.pendingForChange(ctx, q, a.OrgID, id, "edited")
		if err != nil {
			return err
		}
		if err := invitationWithin(ctx, q, a, inv); err != nil {
			return err
		}
		now := s.nowMs()
		details := map[string]any{"email": inv.EmailNorm}
		if e.Role != nil {
			role, err := roleByKey(ctx, q, a.OrgID, *e.Role)
			if err != nil {
				return err
			}
			if err := mayGrant(a, role); err != nil {
				return err
			}
			if err := store.SetInvitationRole(ctx, q, a.OrgID, id, role.ID, now); err != nil {
				return err
			}
			details["role"] = role.Key
		}
		if e.Teams != nil {
			teams, err := resolveTeams(ctx, q, a.OrgID, *e.Teams)
			if err != nil {
				return err
			}
			if err := store.SetInvitationTeams(ctx, q, id, ids(teams)); err != nil {
				return err
			}
			details["teams"] = names(teams)
		}
		return s.writeAudit(ctx, q, s.audit(a, "invitation.edited", "invitation", id, details, now))
	})
	if err != nil {
		return InvitationView{}, err
	}
	return s.Invitation(ctx, a, id)
}

// pendingForChange loads an invitation that must still be pending, explaining otherwise.
func (s *Service) pendingForChange(ctx context.Context, q store.Q, orgID, id, verb string) (store.Invitation, error) {
	inv, err := store.GetInvitation(ctx, q, orgID, id)
	if err != nil {
		return inv, notFound(err, "invitation")
	}
	if inv.Status == "pending" && inv.ExpiresAt <= s.nowMs() {
		inv.Status = "expired"
	}
	if inv.Status != "pending" {
		return inv, errf(CodeNotPending, "", "this invitation is %s and can no longer be %s", inv.Status, verb)
	}
	return inv, nil
}

// invitationWithin refuses a change to an invitation whose role is not within the actor's
// own: who may not grant a role may not renew, edit or revoke an invitation that grants it.
func invitationWithin(ctx context.Context, q store.Q, a Actor, inv store.Invitation) error {
	r, err := store.GetRole(ctx, q, a.OrgID, inv.RoleID)
	if err != nil {
		return err
	}
	if !within(r, a.Role) {
		return errf(CodeForbidden, "", "this invitation is for the %s role, which can do things your own role cannot", r.Name)
	}
	return nil
}

// Resent is the outcome of a resend: the invitation with its new link.
type Resent struct {
	Invitation InvitationView
	AcceptURL  string
}

// Resend gives a pending or expired invitation a new link and a fresh expiry; the old link
// stops working at once. With notify the email goes out again.
func (s *Service) Resend(ctx context.Context, a Actor, id string, notify bool) (Resent, error) {
	if err := a.require(PermInvite); err != nil {
		return Resent{}, err
	}
	var url string
	err := s.tx(ctx, notify, func(q store.Q) error {
		inv, err := store.GetInvitation(ctx, q, a.OrgID, id)
		if err != nil {
			return notFound(err, "invitation")
		}
		if err := invitationWithin(ctx, q, a, inv); err != nil {
			return err
		}
		now := s.nowMs()
		if inv.Status == "pending" && inv.ExpiresAt <= now {
			inv.Status = "expired"
		}
		if inv.Status != "pending" && inv.Status != "expired" {
			return errf(CodeNotResendable, "", "this invitation was %s; send a new invitation instead", inv.Status)
		}
		o, err := store.GetOrg(ctx, q, a.OrgID)
		if err != nil {
			return err
		}
		if inv.Status == "expired" {
			// An expired invitation holds no seat; reviving it takes one.
			if err := takeSeat(ctx, q, o, now); err != nil {
				return err
			}
		}
		plain, hash := token.New(token.Invite)
		if err := store.RenewInvitation(ctx, q, a.OrgID, id, hash, now+o.InviteTTLMs, now); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return errf(CodeAlreadyInvited, "", "%s has another pending invitation already", inv.EmailNorm)
			}
			return err
		}
		url = s.AcceptURL(plain)
		inv.ExpiresAt = now + o.InviteTTLMs
		if notify {
			if err := store.MarkInvitationSending(ctx, q, id, now); err != nil {
				return err
			}
			role, err := store.GetRole(ctx, q, a.OrgID, inv.RoleID)
			if err != nil {
				return err
			}
			teams, err := store.TeamsOfInvitations(ctx, q, []string{id})
			if err != nil {
				return err
			}
			m := s.inviteMail(o, inv, role, names(teams[id]), a, url, "invite")
			if err := store.EnqueueMails(ctx, q, []store.OutboxMail{m}, now); err != nil {
				return err
			}
		}
		return s.writeAudit(ctx, q, s.audit(a, "invitation.resent", "invitation", id,
			map[string]any{"email": inv.EmailNorm, "notify": notify, "was": inv.Status}, now))
	})
	if err != nil {
		return Resent{}, err
	}
	s.metrics.Invitations.WithLabelValues("resent").Inc()
	v, err := s.Invitation(ctx, a, id)
	return Resent{Invitation: v, AcceptURL: url}, err
}

// Revoke ends a pending invitation; its link stops working and its seat is freed.
func (s *Service) Revoke(ctx context.Context, a Actor, id string) (InvitationView, error) {
	if err := a.require(PermInvite); err != nil {
		return InvitationView{}, err
	}
	err := s.tx(ctx, false, func(q store.Q) error {
		inv, err := s.pendingForChange(ctx, q, a.OrgID, id, "revoked")
		if err != nil {
			return err
		}
		if err := invitationWithin(ctx, q, a, inv); err != nil {
			return err
		}
		now := s.nowMs()
		if err := store.RevokeInvitation(ctx, q, a.OrgID, id, now); err != nil {
			return err
		}
		return s.writeAudit(ctx, q, s.audit(a, "invitation.revoked", "invitation", id, map[string]any{"email": inv.EmailNorm}, now))
	})
	if err != nil {
		return InvitationView{}, err
	}
	s.metrics.Invitations.WithLabelValues("revoked").Inc()
	return s.Invitation(ctx, a, id)
}

// trimAll trims every string of a list and drops the empty ones.
func trimAll(l []string) []string {
	out := make([]string, 0, len(l))
	for _, v := range l {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
