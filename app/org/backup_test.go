package org_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/token"
)

// A backup holds no usable link: an invitation email still queued when the backup is made is,
// in the copy, without its token and failed with a reason an admin can act on (send it again),
// as is its invitation's delivery status; the live database keeps the email as it was.
func TestBackupKeepsNoLinksOfQueuedMail(t *testing.T) {
	f := newFixture(t)
	inv := f.invite("queued@example.com")
	plain := tokenOf(t, inv.AcceptURL)
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := f.db.Backup(f.ctx, path, token.Redact); err != nil {
		t.Fatal(err)
	}
	if f.count(`SELECT count(*) FROM outbox WHERE status = 'queued' AND instr(data, ?) > 0`, plain) != 1 {
		t.Fatal("the live database lost its queued email or its link")
	}
	cp, err := store.Open(context.Background(), "file:"+path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	var status, lastErr, data, delivery, deliveryErr string
	if err := cp.R.QueryRowContext(f.ctx, `SELECT o.status, o.last_error, o.data, i.delivery_status, i.delivery_error
 FROM outbox o JOIN invitations i ON i.id = o.invitation_id WHERE i.id = ?`, inv.Invitation.ID).Scan(&status, &lastErr, &data, &delivery, &deliveryErr); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(data, plain) || !strings.Contains(data, "/invite/lbi_…") {
		t.Fatalf("the copy's email keeps its link: %s", data)
	}
	if status != "failed" || delivery != "failed" || lastErr != store.BackupUnsent || deliveryErr != store.BackupUnsent {
		t.Fatalf("the copy's email: %s %q; its invitation: %s %q", status, lastErr, delivery, deliveryErr)
	}
	var left int
	if err := cp.R.QueryRowContext(f.ctx, `SELECT count(*) FROM outbox WHERE instr(data, 'lbi_') > 0 AND instr(data, 'lbi_…') = 0`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("%d emails in the copy keep a link token (%v)", left, err)
	}
}
