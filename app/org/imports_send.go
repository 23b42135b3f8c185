package org

import (
	"cmp"
	"context"

	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/token"
)

// SendImport queues the invitation emails of a committed import's invitations that are still
// pending and were never sent (those of a commit without notify), a few hundred per
// transaction. Each gets a new link and a fresh expiry, counted from now. It returns how many
// emails it queued; calling it again sends none twice.
func (s *Service) SendImport(ctx context.Context, a Actor, id string) (int, error) {
	if err := a.require(PermInvite); err != nil {
		return 0, err
	}
	im, err := getImport(ctx, s.db.R, a.OrgID, id)
	if err != nil {
		return 0, err
	}
	if im.Status != ImportStatusCommitted {
		return 0, errf(CodeConflict, "", "this import is %s; commit it before sending its invitations", im.Status)
	}
	sent, after := 0, int64(0)
	for {
		n, last, err := s.sendImportChunk(ctx, a, id, after)
		if err != nil {
			return sent, err
		}
		if n == 0 {
			break
		}
		sent, after = sent+n, last
	}
	err = s.tx(ctx, false, func(q store.Q) error {
		// The history's per-row report says the emails went out after all (also for those of an
		// earlier send that stopped part-way: this one runs to the end).
		if err := store.MarkImportRowsSent(ctx, q, id, messageNotEmailed, "invited; emailed later, with Send invitations"); err != nil {
			return err
		}
		// Only now is the import's email done: a send that stops part-way (an error, a restart)
		// leaves it unsent, so the console still offers Send invitations for the rest.
		cur, err := getImport(ctx, q, a.OrgID, id)
		if err != nil {
			return err
		}
		cur.Notify = true
		cur.encode()
		if err := store.UpdateImport(ctx, q, cur.Import); err != nil {
			return err
		}
		return s.writeAudit(ctx, q, s.audit(a, "import.sent", "import", id, map[string]any{"filename": im.Filename, "sent": sent}, s.nowMs()))
	})
	return sent, err
}

// sendImportChunk renews and mails the next unsent invitations of an import, after the table
// row after, in one transaction, and counts them on the import as it goes, so that the history
// shows the progress. It returns how many it sent and the row to go on from.
func (s *Service) sendImportChunk(ctx context.Context, a Actor, id string, after int64) (int, int64, error) {
	n, last := 0, after
	err := s.txLong(ctx, true, func(q store.Q) error {
		o, err := store.GetOrg(ctx, q, a.OrgID)
		if err != nil {
			return notFound(err, "organization")
		}
		now := s.nowMs()
		var invs []store.Invitation
		invs, last, err = store.UnsentImportInvitations(ctx, q, o.ID, id, after, now, cmp.Or(s.sendChunk, commitChunk))
		if err != nil || len(invs) == 0 {
			return err
		}
		roles, err := rolesByID(ctx, q, o.ID)
		if err != nil {
			return err
		}
		for _, inv := range invs {
			// Sending renews each link: who may not grant the role may not renew it.
			if r := roles[inv.RoleID]; !within(r, a.Role) {
				return errf(CodeForbidden, "", "this import invites people as %s, a role yours may not grant; "+
					"an admin or an owner must send its invitations", r.Name)
			}
		}
		out := make([]itemResult, len(invs))
		renewals := make([]store.Renewal, len(invs))
		which := make([]int, len(invs))
		entries := make([]store.AuditEntry, len(invs))
		for k, inv := range invs {
			plain, hash := token.New(token.Invite)
			inv.TokenHash, inv.ExpiresAt = hash, now+o.InviteTTLMs
			out[k] = itemResult{Kind: itemResent, Invitation: inv, AcceptURL: s.AcceptURL(plain)}
			renewals[k], which[k] = store.Renewal{ID: inv.ID, TokenHash: hash}, k
			entries[k] = s.audit(a, "invitation.sent", "invitation", inv.ID, map[string]any{"email": inv.EmailNorm, "import": id}, now)
		}
		if err := store.RenewInvitations(ctx, q, o.ID, renewals, now+o.InviteTTLMs, now, true); err != nil {
			return err
		}
		mails, err := s.resentMails(ctx, q, a, o, out, which)
		if err != nil {
			return err
		}
		if err := store.EnqueueMails(ctx, q, mails, now); err != nil {
			return err
		}
		n = len(invs)
		cur, err := getImport(ctx, q, a.OrgID, id)
		if err != nil {
			return err
		}
		cur.Summary.Sent += n
		cur.encode()
		if err := store.UpdateImport(ctx, q, cur.Import); err != nil {
			return err
		}
		return s.writeAudit(ctx, q, entries...)
	})
	return n, last, err
}
