package org

import (
	"context"

	"github.com/lobby/lobby/app/store"
)

// Audit returns one page of the organization's audit log, newest first.
func (s *Service) Audit(ctx context.Context, a Actor, f store.AuditFilter) ([]store.AuditEntry, error) {
	if err := a.require(PermAudit); err != nil {
		return nil, err
	}
	return store.ListAudit(ctx, s.db.R, a.OrgID, f)
}
