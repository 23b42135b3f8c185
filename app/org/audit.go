package org

import (
	"context"
	"time"

	"github.com/lobby/lobby/app/store"
)

// Audit returns one page of the organization's audit log, newest first.
func (s *Service) Audit(ctx context.Context, a Actor, f store.AuditFilter) ([]store.AuditEntry, error) {
	if err := a.require(PermAudit); err != nil {
		return nil, err
	}
	return store.ListAudit(ctx, s.db.R, a.OrgID, f)
}

// ExportAudit exports the audit entries Audit would list with the filter f (its page is
// ignored), newest first, a page at a time as the file is read.
func (s *Service) ExportAudit(ctx context.Context, a Actor, f store.AuditFilter) (Export, error) {
	f.Page = store.Page{Limit: exportPage}
	first, err := s.Audit(ctx, a, f)
	if err != nil {
		return Export{}, err
	}
	e := Export{Filename: s.exportName(ctx, a.OrgID, "audit"),
		header: []string{"time", "actor_kind", "actor", "action", "target_kind", "target_id", "details"}}
	e.next = pager(first, func(ctx context.Context, cursor string) ([]store.AuditEntry, error) {
		f.Page.Cursor = cursor
		return s.Audit(ctx, a, f)
	}, func(e store.AuditEntry) string { return e.ID }, func(e store.AuditEntry) []string {
		return []string{time.UnixMilli(e.CreatedAt).UTC().Format(time.RFC3339), e.ActorKind, e.ActorName,
			e.Action, e.TargetKind, e.TargetID, e.Details}
	})
	return e, nil
}
