package org

import (
	"context"
	"errors"

	"github.com/lobby/lobby/app/store"
)

// CommitOptions steer CommitImport.
type CommitOptions struct {
	// Notify queues the invitation emails now; without it the invitations are created unsent
	// and SendImport sends them later. A resumed commit keeps the choice of the first call.
	Notify bool
	// Progress, when set, is called after each chunk with the rows handled so far and the
	// number the commit works through.
	Progress func(done, total int)

	chunk int                   // rows per transaction; tests make it small
	hook  func(chunk int) error // called inside each chunk's transaction before it commits; tests fail it
}

// commitChunk is how many rows one transaction of a commit handles.
const commitChunk = 500

// CommitImport creates the invitations of a previewed import in transactions of a few hundred
// rows, recording each row's invitation on it. Seats, members and pending invitations are
// checked again inside every transaction: rows that no longer fit are reported, not invited.
// A crash leaves whole chunks only, and calling CommitImport again goes on with the rows that
// have no invitation yet; on a committed import it changes nothing.
func (s *Service) CommitImport(ctx context.Context, a Actor, id string, opt CommitOptions) (Import, error) {
	if err := a.require(PermInvite); err != nil {
		return Import{}, err
	}
	if opt.chunk <= 0 {
		opt.chunk = commitChunk
	}
	var im Import
	err := s.tx(ctx, false, func(q store.Q) error {
		var err error
		if im, err = getImport(ctx, q, a.OrgID, id); err != nil {
			return err
		}
		switch im.Status {
		case ImportStatusPreview:
			im.Status, im.Notify = ImportStatusCommitting, opt.Notify
			im.Summary.Total, im.Summary.Done, im.Summary.Touched = im.Summary.ToInvite(), 0, s.nowMs()
			im.encode()
			return store.UpdateImport(ctx, q, im.Import, ImportStatusPreview)
		case ImportStatusCommitting, ImportStatusCommitted:
			return nil
		case ImportStatusCancelled:
			return errf(CodeConflict, "", "this import was cancelled; upload the file again")
		}
		return errf(CodeConflict, "", "this import is still being read; wait for its preview")
	})
	if err != nil || im.Status == ImportStatusCommitted {
		return im, err
	}
	created, after := 0, 0
	for n := 1; ; n++ {
		done, total, made, err := s.commitChunk(ctx, a, id, im.Notify, opt, n, &after)
		if err != nil {
			return Import{}, err
		}
		created += made
		if done < 0 {
			break
		}
		if opt.Progress != nil {
			opt.Progress(done, total)
		}
	}
	s.metrics.Invitations.WithLabelValues("created").Add(float64(created))
	err = s.tx(ctx, false, func(q store.Q) error {
		cur, err := getImport(ctx, q, a.OrgID, id)
		if err != nil {
			return err
		}
		now := s.nowMs()
		cur.Status, cur.CommittedAt = ImportStatusCommitted, &now
		err = store.UpdateImport(ctx, q, cur.Import, ImportStatusCommitting)
		if errors.Is(err, store.ErrNotFound) {
			return nil // another call finished it first
		}
		if err != nil {
			return err
		}
		return s.writeAudit(ctx, q, s.audit(a, "import.committed", "import", id, map[string]any{"filename": cur.Filename,
			"notify": cur.Notify, "outcomes": cur.Summary.Outcomes}, now))
	})
	if err != nil {
		return Import{}, err
	}
	return getImport(ctx, s.db.R, a.OrgID, id)
}

// commitChunk handles the next rows without an invitation in one transaction and returns the
// progress after it, or done = -1 when no row was left. made counts the new invitations. Every
// row it reads leaves the invite and resend outcomes, so *after (the last line handled, moved
// only when the transaction commits) just saves reading past them again.
func (s *Service) commitChunk(ctx context.Context, a Actor, id string, notify bool, opt CommitOptions, n int, after *int) (done, total, made int, err error) {
	last := *after
	done = -1
	err = s.txLong(ctx, notify, func(q store.Q) error {
		im, err := getImport(ctx, q, a.OrgID, id)
		if err != nil {
			return err
		}
		if im.Status != ImportStatusCommitting {
			return errf(CodeConflict, "", "this import is %s, not being committed", im.Status)
		}
		rows, err := store.ListImportRows(ctx, q, id, store.ImportRowFilter{Outcomes: []string{OutcomeInvite, OutcomeResend},
			Unlinked: true, AfterLine: *after, Limit: opt.chunk})
		if err != nil || len(rows) == 0 {
			return err
		}
		last = rows[len(rows)-1].Line
		o, err := store.GetOrg(ctx, q, a.OrgID)
		if err != nil {
			return notFound(err, "organization")
		}
		rules, err := loadImportRules(ctx, q, a, o, im.Summary.CreateTeams)
		if err != nil {
			return err
		}
		now := s.nowMs()
		changes := make([]store.ImportRowChange, 0, len(rows))
		items := make([]inviteItem, 0, len(rows))
		itemRows := make([]store.ImportRow, 0, len(rows))
		for _, r := range rows {
			plan := rules.check(r.Role, r.Teams, r.Resources)
			if plan.outcome != "" {
				changes = append(changes, store.ImportRowChange{Line: r.Line, Outcome: plan.outcome, Message: "at commit: " + plan.message})
				continue
			}
			createdTeams, err := s.createMissing(ctx, q, rules, &plan, now)
			if err != nil {
				return err
			}
			im.Summary.TeamsCreated = append(im.Summary.TeamsCreated, createdTeams...)
			items = append(items, inviteItem{Norm: r.Email, Name: r.Name, Role: plan.role, Teams: plan.teams, Resources: plan.resources})
			itemRows = append(itemRows, r)
		}
		outs, err := s.inviteBatch(ctx, q, a, o, items, batchOptions{Notify: notify, ImportID: id, Resend: im.Summary.ResendExisting}, now)
		if err != nil {
			return err
		}
		for k, out := range outs {
			c := rowChange(itemRows[k], out, o, notify)
			if out.Kind == itemCreated {
				made++
			}
			changes = append(changes, c)
		}
		if err := store.UpdateImportRows(ctx, q, id, changes); err != nil {
			return err
		}
		byLine := make(map[int]string, len(rows))
		for _, r := range rows {
			byLine[r.Line] = r.Outcome
		}
		for _, c := range changes {
			im.Summary.Outcomes[byLine[c.Line]]--
			im.Summary.Outcomes[c.Outcome]++
		}
		im.Summary.Done += len(rows)
		im.Summary.Touched = s.nowMs()
		done, total = im.Summary.Done, im.Summary.Total
		im.encode()
		if err := store.UpdateImport(ctx, q, im.Import); err != nil {
			return err
		}
		if opt.hook != nil {
			return opt.hook(n)
		}
		return nil
	})
	if err != nil {
		return -1, 0, 0, err
	}
	*after = last
	return done, total, made, nil
}

// messageNotEmailed is the report's word for a row invited by a commit without emails.
const messageNotEmailed = "invited; not emailed yet"

// rowChange records on an import row what the batch did with it.
func rowChange(r store.ImportRow, out itemResult, o store.Org, notify bool) store.ImportRowChange {
	c := store.ImportRowChange{Line: r.Line, InvitationID: out.Invitation.ID}
	switch out.Kind {
	case itemCreated:
		c.Outcome = OutcomeInvited
		if notify {
			c.Message = "invited; the email is on its way"
		} else {
			c.Message = messageNotEmailed
		}
	case itemResent:
		c.Outcome, c.Message = OutcomeResent, "sent again with a new link"
	case itemExisting:
		c.Outcome, c.Message = OutcomeAlreadyInvited, "has a pending invitation; it is left alone"
		if r.Outcome == OutcomeResend {
			c.Message = "has a pending invitation; it was left alone because this import sends no emails"
		}
	case itemMember:
		c.Outcome, c.Message = OutcomeAlreadyMember, "at commit: already a member of "+o.Name
	case itemDeactivated:
		c.Outcome, c.Message = OutcomeDeactivated, "at commit: a deactivated member of "+o.Name+"; reactivate them instead"
	case itemNoSeat:
		c.Outcome, c.Message = OutcomeSeatLimit, "at commit: no seat was left; "+out.NoSeat
	}
	return c
}
