package org_test

import (
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/token"
)

// TestRetryOfAFailedEmailWhoseLinkWasRemoved: an invitation email given up on (its link's token
// taken out) goes out again with a new link, and the old link stops working; a failed email
// with a one-time link and no invitation (a join confirmation) is refused with a way forward.
func TestRetryOfAFailedEmailWhoseLinkWasRemoved(t *testing.T) {
	f := newFixture(t)
	inv := f.invite("bob@example.com")
	old := tokenOf(t, inv.AcceptURL)
	fail := func(id string) {
		t.Helper()
		m, err := f.db.GetMail(f.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.db.MarkMailFailed(f.ctx, id, "550 no such user", []byte(token.Redact(string(m.Data))), f.clock.Now().UnixMilli()); err != nil {
			t.Fatal(err)
		}
	}
	var mailID string
	if err := f.db.R.QueryRowContext(f.ctx, `SELECT id FROM outbox WHERE invitation_id = ?`, inv.Invitation.ID).Scan(&mailID); err != nil {
		t.Fatal(err)
	}
	fail(mailID)
	if err := f.svc.RetryMail(f.ctx, f.admin, mailID); err != nil {
		t.Fatal(err)
	}
	var data string
	if err := f.db.R.QueryRowContext(f.ctx, `SELECT data FROM outbox WHERE invitation_id = ? AND status = 'queued'`, inv.Invitation.ID).Scan(&data); err != nil {
		t.Fatalf("no new email for the invitation: %v", err)
	}
	if token.Redacted(data) || !strings.Contains(data, "/invite/lbi_") || strings.Contains(data, old) {
		t.Fatalf("the new email's data: %s", data)
	}
	if _, err := f.svc.OpenInvitation(f.ctx, old); err == nil {
		t.Fatal("the old link still works")
	}
	// Sending the old failed email again now would kill the link just sent: refused.
	var hash string
	_ = f.db.R.QueryRowContext(f.ctx, `SELECT token_hash FROM invitations WHERE id = ?`, inv.Invitation.ID).Scan(&hash)
	if err := f.svc.RetryMail(f.ctx, f.admin, mailID); codeOf(err) != org.CodeConflict {
		t.Fatalf("a second retry of the replaced email: %v", err)
	}
	var after string
	_ = f.db.R.QueryRowContext(f.ctx, `SELECT token_hash FROM invitations WHERE id = ?`, inv.Invitation.ID).Scan(&after)
	if after != hash {
		t.Fatal("the refused retry changed the invitation's link")
	}

	// A join confirmation that failed: the person asks again on the join page.
	plain, _ := token.New(token.Join)
	var joinID string
	err := f.db.Tx(f.ctx, func(q store.Q) (err error) {
		joinID, err = store.EnqueueMail(f.ctx, q, store.OutboxMail{OrgID: f.org.ID, Template: "join_confirm", To: "jo@example.com",
			Data: []byte(`{"OrgName":"Acme","ConfirmURL":"https://lobby.example/join/confirm/` + plain + `"}`)}, f.clock.Now().UnixMilli())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	fail(joinID)
	err = f.svc.RetryMail(f.ctx, f.admin, joinID)
	if e, ok := org.AsError(err); !ok || e.Code != org.CodeConflict || !strings.Contains(e.Message, "ask for a new one") {
		t.Fatalf("retry of a failed join confirmation: %v", err)
	}
	if m, _ := f.db.GetMail(f.ctx, joinID); m.Status != "failed" {
		t.Fatalf("the refused retry changed the email: %s", m.Status)
	}
}
