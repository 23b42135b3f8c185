package org

import (
	"context"
	"errors"

	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/token"
)

// Outbox lists the organization's emails, newest first, for the console.
func (s *Service) Outbox(ctx context.Context, a Actor, status string, p store.Page) ([]store.OutboxMail, error) {
	if err := a.require(PermSettings); err != nil {
		return nil, err
	}
	switch status {
	case "", "queued", "sent", "failed", "cancelled":
	default:
		return nil, errf(CodeInvalid, "status", "status must be queued, sent, failed or cancelled, or left out for every email")
	}
	return s.db.ListMail(ctx, a.OrgID, status, p)
}

// OutboxMail reads one email of the organization.
func (s *Service) OutboxMail(ctx context.Context, a Actor, id string) (store.OutboxMail, error) {
	if err := a.require(PermSettings); err != nil {
		return store.OutboxMail{}, err
	}
	m, err := s.db.GetMail(ctx, id)
	if err != nil || m.OrgID != a.OrgID {
		return store.OutboxMail{}, errf(CodeNotFound, "", "email was not found")
	}
	return m, nil
}

// RetryMail queues a failed email again. One whose one-time link lost its token when it failed
// cannot go out as it was: an invitation is sent again with a new link (as Resend does: the
// old one stops working), and a password reset or join confirmation is refused, for the person
// to ask again.
func (s *Service) RetryMail(ctx context.Context, a Actor, id string) error {
	m, err := s.OutboxMail(ctx, a, id)
	if err != nil {
		return err
	}
	if m.Status == "failed" && token.Redacted(string(m.Data)) {
		if m.InvitationID == "" {
			return errf(CodeConflict, "", "this email held a one-time link, removed when it failed; the person can ask for a new one")
		}
		// A newer email of the invitation carries a newer link; a new one now would kill it.
		if newer, err := s.db.NewerMailExists(ctx, id); err != nil || newer {
			if err == nil {
				err = errf(CodeConflict, "", "this email was replaced by a newer one")
			}
			return err
		}
		_, err := s.Resend(ctx, a, m.InvitationID, true)
		return err
	}
	err = s.db.RetryMail(ctx, id, s.nowMs())
	switch {
	case errors.Is(err, store.ErrConflict):
		return errf(CodeConflict, "", "this email was replaced by a newer one, or has not failed")
	case err != nil:
		return err
	}
	s.afterCommit()
	return s.tx(ctx, false, func(q store.Q) error {
		return s.writeAudit(ctx, q, s.audit(a, "mail.retried", "mail", id, nil, s.nowMs()))
	})
}
