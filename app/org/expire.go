package org

import (
	"context"
	"fmt"
	"time"

	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/token"
)

// ExpireDue marks pending invitations past their expiry as expired, in short transactions
// (chunks, sized by chunkSizer), and tells each inviter once per run which of their
// invitations expired. A run that stopped before telling them (a restart, a crash) left a
// mark (store.MarkExpireUntold): the next run tells them of everything expired since.
func (s *Service) ExpireDue(ctx context.Context) (string, error) {
	// Its chunks can rewrite hundreds of megabytes of pages: have them written out as it goes
	// rather than all at once by a checkpoint's fsync, which other writes would wait behind.
	defer s.db.WriteBackDuring()()
	since, untold, err := store.ExpireUntoldSince(ctx, s.db.R)
	if err != nil {
		return "", err
	}
	told := newDigests(untold) // this run's, and an earlier run's that stopped before telling
	var total int64
	chunks, sizer, marked := 0, newChunkSizer(), untold
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Sprintf("expired %d invitations before stopping", total), err
		}
		var n int64
		var start time.Time
		err := s.db.TxAlone(ctx, func(q store.Q) error {
			start = time.Now()
			now := s.nowMs()
			due, err := store.DueForExpiry(ctx, q, now, sizer.size())
			if err != nil || len(due) == 0 {
				return err
			}
			if !marked {
				if err := store.MarkExpireUntold(ctx, q); err != nil {
					return err
				}
			}
			rowids := make([]int64, len(due))
			entries := make([]store.AuditEntry, len(due))
			for i, inv := range due {
				rowids[i] = inv.RowID
				a := SystemActor("system", "expire job", inv.OrgID)
				entries[i] = s.audit(a, "invitation.expired", "invitation", inv.ID, map[string]any{"email": inv.EmailNorm}, now)
			}
			if n, err = store.ExpireInvitations(ctx, q, rowids, now); err != nil {
				return err
			}
			for _, inv := range due {
				told.add(store.Expired{ID: inv.ID, OrgID: inv.OrgID, InviterEmail: inv.InviterEmail, EmailNorm: inv.EmailNorm})
			}
			if err := store.InsertAudit(ctx, q, entries...); err != nil {
				return err
			}
			if s.expireHook != nil {
				return s.expireHook(chunks + 1)
			}
			return nil
		})
		if err != nil {
			return fmt.Sprintf("expired %d invitations before an error", total), err
		}
		if n == 0 {
			break
		}
		marked = true
		sizer.took(int(n), time.Since(start)) // from the chunk's first statement to its COMMIT's end
		total += n
		chunks++
	}
	if untold { // an earlier run stopped before telling: tell of its invitations too
		earlier, err := store.ExpiredSince(ctx, s.db.R, since)
		if err != nil {
			return fmt.Sprintf("expired %d invitations; telling the inviters failed", total), err
		}
		// The log's stretch may hold this run's too (or, with another process's clock ahead of
		// this one's, not): told counts each invitation once either way.
		for _, e := range earlier {
			told.add(e)
		}
	}
	if marked {
		if err := s.tellExpired(ctx, told); err != nil {
			return fmt.Sprintf("expired %d invitations; telling the inviters failed", total), err
		}
	}
	s.metrics.Invitations.WithLabelValues("expired").Add(float64(total))
	if chunks == 0 {
		return "expired 0 invitations", nil
	}
	return fmt.Sprintf("expired %d invitations in %d transactions", total, chunks), nil
}

// RemindDue sends one reminder for each pending invitation whose expiry falls within its
// organization's reminder window. A reminder carries a fresh link (only link hashes are kept),
// so the link in the first email stops working, as with a resend.
func (s *Service) RemindDue(ctx context.Context) (string, error) {
	// Only organizations that ask for reminders are read, each through the stretch of its
	// pending expiries inside the window, so the job costs nothing where reminders are off.
	orgs, err := store.OrgsWithReminders(ctx, s.db.R)
	if err != nil {
		return "", err
	}
	total := 0
	for orgID, window := range orgs {
		var mark store.RemindMark
		for {
			// A read first: most runs find nothing due and need not wait for the writer.
			if due, err := store.RemindDueAfter(ctx, s.db.R, orgID, s.nowMs(), window, mark); err != nil {
				return fmt.Sprintf("sent %d reminders before an error", total), err
			} else if !due {
				break
			}
			n := 0
			err := s.txLong(ctx, true, func(q store.Q) error {
				now := s.nowMs()
				list, next, err := store.RemindableInvitations(ctx, q, orgID, now, window, mark, remindBatch)
				if err != nil {
					return err
				}
				if err := s.remind(ctx, q, list, now); err != nil {
					return err
				}
				n, mark = len(list), next
				return nil
			})
			if err != nil {
				return fmt.Sprintf("sent %d reminders before an error", total), err
			}
			total += n
			if n < remindBatch {
				break
			}
		}
	}
	return fmt.Sprintf("sent %d reminders", total), nil
}

// remindBatch is how many reminders one transaction of the remind job sends at most.
const remindBatch = 200

// remind sends reminders of one organization's invitations with fresh links.
func (s *Service) remind(ctx context.Context, q store.Q, list []store.Invitation, now int64) error {
	if len(list) == 0 {
		return nil
	}
	o, err := store.GetOrg(ctx, q, list[0].OrgID)
	if err != nil {
		return err
	}
	a := SystemActor("system", "remind job", o.ID)
	for _, inv := range list {
		role, err := store.GetRole(ctx, q, inv.OrgID, inv.RoleID)
		if err != nil {
			return err
		}
		teams, err := store.TeamsOfInvitations(ctx, q, []string{inv.ID})
		if err != nil {
			return err
		}
		plain, hash := token.New(token.Invite)
		// The expiry stays: a reminder is not an extension.
		if err := store.RenewInvitation(ctx, q, inv.OrgID, inv.ID, hash, inv.ExpiresAt, now); err != nil {
			return err
		}
		if err := store.MarkReminded(ctx, q, inv.ID, now); err != nil {
			return err
		}
		m := s.inviteMail(o, inv, role, names(teams[inv.ID]), a, s.AcceptURL(plain), "remind")
		if err := store.EnqueueMails(ctx, q, []store.OutboxMail{m}, now); err != nil {
			return err
		}
		if err := s.writeAudit(ctx, q, s.audit(a, "invitation.reminded", "invitation", inv.ID, map[string]any{"email": inv.EmailNorm}, now)); err != nil {
			return err
		}
	}
	return nil
}

// Purge removes what is no longer needed: delivered mail and job runs older than keep.
func (s *Service) Purge(ctx context.Context, keep time.Duration) (string, error) {
	before := s.now().Add(-keep).UnixMilli()
	mails, err := s.db.PurgeSentMail(ctx, before)
	if err != nil {
		return "", err
	}
	runs, err := s.db.PurgeJobRuns(ctx, before)
	if err != nil {
		return "", err
	}
	var extra int64
	for _, p := range s.purgers {
		n, err := p(ctx, s.nowMs())
		if err != nil {
			return "", err
		}
		extra += n
	}
	return fmt.Sprintf("purged %d sent emails, %d job runs and %d expired sessions or links", mails, runs, extra), nil
}

// AddPurger registers more clean-up (sessions, used links) owned by other packages.
func (s *Service) AddPurger(p func(ctx context.Context, now int64) (int64, error)) {
	s.purgers = append(s.purgers, p)
}

// PurgeLinks deletes reset, join and setup links that expired or were used a day ago or more.
func (s *Service) PurgeLinks(ctx context.Context, now int64) (int64, error) {
	var n int64
	err := s.db.TxAlone(ctx, func(q store.Q) error {
		var err error
		n, err = store.PurgeLinkTokens(ctx, q, now-24*3600*1000)
		return err
	})
	return n, err
}
