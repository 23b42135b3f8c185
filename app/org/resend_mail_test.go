package org_test

import (
	"testing"
	"time"
)

// outboxStatus reads one email's status.
func (f *fixture) outboxStatus(id string) string {
	f.t.Helper()
	var st string
	if err := f.db.R.QueryRowContext(f.ctx, `SELECT status FROM outbox WHERE id = ?`, id).Scan(&st); err != nil {
		f.t.Fatal(err)
	}
	return st
}

// deliveryStatus reads an invitation's delivery status as the console and the API show it.
func (f *fixture) deliveryStatus(id string) string {
	f.t.Helper()
	v, err := f.svc.Invitation(f.ctx, f.owner, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return v.DeliveryStatus
}

// A resend without email makes a new link and hands it to the admin. The invitation's emails
// still waiting to go out carry the old link, which no longer works: they must not go out
// (the person would get a dead link), and one already on its way must not mark the
// invitation as sent.
func TestResendWithoutEmailStopsTheEmailsOfTheOldLink(t *testing.T) {
	f := newFixture(t)
	waiting := f.invite("ann@acme.test").Invitation.ID
	onItsWay := f.invite("bob@acme.test").Invitation.ID
	var annMail, bobMail string
	for id, dst := range map[string]*string{waiting: &annMail, onItsWay: &bobMail} {
		if err := f.db.R.QueryRowContext(f.ctx, `SELECT id FROM outbox WHERE invitation_id = ? AND status = 'queued'`, id).Scan(dst); err != nil {
			t.Fatal(err)
		}
	}
	// Bob's email is claimed by the sender first, as if it were being sent right now.
	if _, err := f.db.R.ExecContext(f.ctx, `UPDATE outbox SET next_attempt_at = 0 WHERE id = ?`, bobMail); err != nil {
		t.Fatal(err)
	}
	now := f.clock.Now().UnixMilli()
	claimed, err := f.db.ClaimDueMail(f.ctx, now, 1, time.Minute)
	if err != nil || len(claimed) != 1 || claimed[0].ID != bobMail {
		t.Fatalf("claimed %+v: %v", claimed, err)
	}

	for _, id := range []string{waiting, onItsWay} {
		r, err := f.svc.Resend(f.ctx, f.owner, id, false)
		if err != nil || r.AcceptURL == "" {
			t.Fatalf("resend without email: %+v, %v", r, err)
		}
		if got := f.deliveryStatus(id); got != "not_sent" {
			t.Errorf("after a resend without email the delivery status is %q, want not_sent", got)
		}
	}
	if st := f.outboxStatus(annMail); st != "cancelled" {
		t.Fatalf("the waiting email with the old link is %s, want cancelled", st)
	}
	if st := f.outboxStatus(bobMail); st != "cancelled" {
		t.Fatalf("the claimed email with the old link is %s, want cancelled", st)
	}
	// Nothing is left for the sender: the old link's emails do not go out.
	if due, err := f.db.ClaimDueMail(f.ctx, now+2*time.Minute.Milliseconds(), 10, time.Minute); err != nil || len(due) != 0 {
		t.Fatalf("still due after the resend: %d emails, %v", len(due), err)
	}
	// The email that was on its way reaches the mail server after all: it is recorded as sent,
	// but the invitation does not claim its new link was emailed.
	if err := f.db.MarkMailSent(f.ctx, bobMail, "<m@x>", []byte(`{}`), now+1); err != nil {
		t.Fatal(err)
	}
	if got := f.deliveryStatus(onItsWay); got != "not_sent" {
		t.Fatalf("an email with the old link, sent after the resend, made the invitation %q", got)
	}
	// A resend with email queues the new link's email, and that one counts.
	if _, err := f.svc.Resend(f.ctx, f.owner, onItsWay, true); err != nil {
		t.Fatal(err)
	}
	if got := f.deliveryStatus(onItsWay); got != "queued" {
		t.Fatalf("after a resend with email: %q, want queued", got)
	}
}
