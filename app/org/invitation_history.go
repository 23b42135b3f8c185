package org

import (
	"context"
	"sort"

	"github.com/lobby/lobby/app/store"
)

// HistoryEvent is one dated line of an invitation's history.
type HistoryEvent struct {
	At int64 // unix ms
	// Action is an audit action (invitation.created, invitation.resent, …), or one of
	// mail.queued, mail.sent, mail.retrying, mail.failed, mail.cancelled for its emails, or
	// invitation.opened.
	Action string
	By     string // who did it, for audit actions
	Email  string // for mail: which email, its template (invite, remind, reset_invite, …)
	Detail string // for mail: the mail server's reason for a failure
}

// InvitationHistory is what happened to one invitation, oldest first: its audit trail (made,
// sent again, edited, accepted, revoked, …), each of its emails (queued, sent, not delivered
// yet or for good with the reason, replaced) and when its link was first opened.
func (s *Service) InvitationHistory(ctx context.Context, a Actor, id string) ([]HistoryEvent, error) {
	if err := a.require(PermMembersRead); err != nil {
		return nil, err
	}
	inv, err := store.GetInvitation(ctx, s.db.R, a.OrgID, id)
	if err != nil {
		return nil, notFound(err, "the invitation")
	}
	audit, err := store.AuditOfTarget(ctx, s.db.R, a.OrgID, "invitation", id)
	if err != nil {
		return nil, err
	}
	mails, err := store.MailOfInvitation(ctx, s.db.R, a.OrgID, id)
	if err != nil {
		return nil, err
	}
	out := make([]HistoryEvent, 0, len(audit)+len(mails)+1)
	for i := len(audit) - 1; i >= 0; i-- { // the store reads them newest first
		e := audit[i]
		out = append(out, HistoryEvent{At: e.CreatedAt, Action: e.Action, By: e.ActorName})
	}
	for _, m := range mails {
		out = append(out, mailEvent(m))
	}
	if inv.OpenedAt != nil {
		out = append(out, HistoryEvent{At: *inv.OpenedAt, Action: "invitation.opened"})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At < out[j].At })
	return out, nil
}

// mailEvent is the line of one email: where it stands now, dated when it got there.
func mailEvent(m store.OutboxMail) HistoryEvent {
	e := HistoryEvent{At: m.CreatedAt, Action: "mail.queued", Email: m.Template}
	switch {
	case m.Status == "sent" && m.SentAt != nil:
		e.At, e.Action = *m.SentAt, "mail.sent"
	case m.Status == "failed":
		// A failed email's next attempt is set to when it was given up on.
		e.At, e.Action, e.Detail = m.NextAttemptAt, "mail.failed", m.LastError
	case m.Status == "cancelled":
		e.Action, e.Detail = "mail.cancelled", m.LastError
	case m.Attempts > 0:
		e.Action, e.Detail = "mail.retrying", m.LastError
	}
	return e
}
