package org_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lobby/lobby/app/org"
)

func TestRemindOnceBeforeExpiryWithAFreshLink(t *testing.T) {
	f := newFixture(t)
	day := 24 * time.Hour
	if _, err := f.svc.UpdateSettings(f.ctx, f.owner, org.SettingsPatch{RemindBefore: &day}); err != nil {
		t.Fatal(err)
	}
	inv := f.invite("rita@example.com")
	// The first email went out (the sender records this).
	if _, err := f.db.W.Exec(`UPDATE invitations SET sent_at = ? WHERE id = ?`, f.clock.Now().UnixMilli(), inv.Invitation.ID); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(5 * day)
	if s, err := f.svc.RemindDue(f.ctx); err != nil || s != "sent 0 reminders" {
		t.Fatalf("too early: %q %v", s, err)
	}
	f.clock.Add(day + time.Hour) // now within a day of the expiry
	if s, err := f.svc.RemindDue(f.ctx); err != nil || s != "sent 1 reminders" {
		t.Fatalf("in the window: %q %v", s, err)
	}
	if s, _ := f.svc.RemindDue(f.ctx); s != "sent 0 reminders" {
		t.Fatalf("reminded twice: %q", s)
	}
	var data string
	if err := f.db.R.QueryRow(`SELECT data FROM outbox WHERE template = 'remind' AND invitation_id = ?`, inv.Invitation.ID).Scan(&data); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(data, inv.AcceptURL) || !strings.Contains(data, "https://lobby.example/invite/lbi_") {
		t.Fatal("the reminder does not carry a fresh link")
	}
	// The expiry did not move: a reminder is not an extension.
	v, _ := f.svc.Invitation(f.ctx, f.owner, inv.Invitation.ID)
	if v.ExpiresAt != inv.Invitation.ExpiresAt || v.Status != "pending" {
		t.Fatalf("after the reminder: %s, expires %d (was %d)", v.Status, v.ExpiresAt, inv.Invitation.ExpiresAt)
	}
}
