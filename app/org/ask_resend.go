package org

import (
	"context"
	"errors"

	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/token"
)

// AskResend tells the inviter that someone with an expired or withdrawn link wants a new one.
// The caller rate-limits it; it only mails for invitations that cannot be accepted any more.
func (s *Service) AskResend(ctx context.Context, plain string) error {
	if !token.Looks(plain, token.Invite) {
		return errf(CodeNotFound, "", "this invitation link is not valid")
	}
	return s.tx(ctx, true, func(q store.Q) error {
		inv, err := store.GetInvitationByToken(ctx, q, token.Hash(plain))
		if errors.Is(err, store.ErrNotFound) {
			return errf(CodeNotFound, "", "this invitation link is not valid")
		}
		if err != nil {
			return err
		}
		if s.usable(inv) == nil || inv.Status == "accepted" {
			return errf(CodeInvalid, "", "this invitation can still be used")
		}
		if inv.InviterEmail == "" {
			return errf(CodeNotFound, "", "the person who invited you is no longer here; ask an admin of the organization")
		}
		o, err := store.GetOrg(ctx, q, inv.OrgID)
		if err != nil {
			return err
		}
		now := s.nowMs()
		a := Actor{Kind: "invitee", Name: inv.EmailNorm, OrgID: inv.OrgID}
		if err := s.writeAudit(ctx, q, s.audit(a, "invitation.resend_requested", "invitation", inv.ID, map[string]any{"email": inv.EmailNorm}, now)); err != nil {
			return err
		}
		return s.mail(ctx, q, o.ID, "", "resend_request", inv.InviterEmail, map[string]any{"OrgName": o.Name,
			"InviteeEmail": inv.EmailNorm, "ResendURL": s.link("/console/" + o.Slug + "/invitations/" + inv.ID)}, now)
	})
}
