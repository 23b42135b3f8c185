package org_test

import (
	"fmt"
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

// One run reminds every invitation due a reminder exactly once, however many transactions it
// takes, and skips the ones that were never emailed or were reminded already, wherever they
// fall among the others.
func TestRemindGoesThroughEveryDueInvitationOnce(t *testing.T) {
	f := newFixture(t)
	day := 24 * time.Hour
	if _, err := f.svc.UpdateSettings(f.ctx, f.owner, org.SettingsPatch{RemindBefore: &day}); err != nil {
		t.Fatal(err)
	}
	var emails []string
	for i := range 650 {
		emails = append(emails, fmt.Sprintf("p%03d@example.com", i))
	}
	// Three batches a minute apart: many invitations share an expiry, as a batch's do.
	for k := 0; k < 650; k += 250 {
		if _, err := f.svc.Invite(f.ctx, f.owner, org.InviteRequest{Emails: emails[k:min(k+250, 650)], Notify: true}); err != nil {
			t.Fatal(err)
		}
		f.clock.Add(time.Minute)
	}
	now := f.clock.Now().UnixMilli()
	// Every third was never emailed, every fifth was reminded already.
	for _, s := range []string{
		`UPDATE invitations SET sent_at = ? WHERE CAST(substr(email_norm, 2, 3) AS INTEGER) % 3 != 0`,
		`UPDATE invitations SET reminded_at = ? WHERE CAST(substr(email_norm, 2, 3) AS INTEGER) % 5 = 0`,
	} {
		if _, err := f.db.W.Exec(s, now); err != nil {
			t.Fatal(err)
		}
	}
	want := 0
	for i := range 650 {
		if i%3 != 0 && i%5 != 0 {
			want++
		}
	}
	f.clock.Add(6*day + 12*time.Hour) // within a day of every expiry
	if s, err := f.svc.RemindDue(f.ctx); err != nil || s != fmt.Sprintf("sent %d reminders", want) {
		t.Fatalf("got %q %v, want %d reminders", s, err, want)
	}
	var reminded, mails int
	if err := f.db.R.QueryRow(`SELECT count(*) FROM invitations WHERE reminded_at > ?`, now).Scan(&reminded); err != nil {
		t.Fatal(err)
	}
	if err := f.db.R.QueryRow(`SELECT count(DISTINCT invitation_id) FROM outbox WHERE template = 'remind'`).Scan(&mails); err != nil {
		t.Fatal(err)
	}
	if reminded != want || mails != want {
		t.Fatalf("reminded %d, reminder emails for %d invitations, want %d", reminded, mails, want)
	}
	if s, _ := f.svc.RemindDue(f.ctx); s != "sent 0 reminders" {
		t.Fatalf("a second run: %q", s)
	}
}
