package org

import (
	"context"

	"github.com/lobby/lobby/app/store"
)

// MayRunJobs reports whether a may see and run the instance's cron jobs by hand. A job reaches
// every organization on the instance (and its summary counts across all of them), so only an
// organization's owners may, never a custom role that happens to hold settings:manage.
func (a Actor) MayRunJobs() bool { return a.Role.Key == RoleOwner }

// RecordJobRun writes to a's organization's audit log that a ran the named job by hand, with
// what it did, or the error it stopped on (runErr) when it did not finish.
func (s *Service) RecordJobRun(ctx context.Context, a Actor, job, summary string, runErr error) error {
	if !a.MayRunJobs() {
		return errf(CodeForbidden, "", "only owners can run jobs")
	}
	details := map[string]any{"summary": summary}
	if runErr != nil {
		details = map[string]any{"error": runErr.Error()}
	}
	return s.tx(ctx, false, func(q store.Q) error {
		return s.writeAudit(ctx, q, s.audit(a, "job.run", "job", job, details, s.nowMs()))
	})
}
