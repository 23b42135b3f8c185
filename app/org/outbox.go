package org

import (
	"context"
	"errors"

	"github.com/lobby/lobby/app/store"
)

// Outbox lists the organization's emails, newest first, for the console.
func (s *Service) Outbox(ctx context.Context, a Actor, status string, p store.Page) ([]store.OutboxMail, error) {
	if err := a.require(PermSettings); err != nil {
		return nil, err
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

// RetryMail queues a failed email again.
func (s *Service) RetryMail(ctx context.Context, a Actor, id string) error {
	if _, err := s.OutboxMail(ctx, a, id); err != nil {
		return err
	}
	err := s.db.RetryMail(ctx, id, s.nowMs())
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
