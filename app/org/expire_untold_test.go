package org_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// An expire run that stops after its first chunk (a restart, a crash) has expired
// invitations without telling their inviters. The next run tells them of those too: each
// inviter gets one notice counting every invitation of theirs that expired, none twice.
func TestExpireNoticesSurviveARunThatStopped(t *testing.T) {
	f := newFixture(t)
	var alices []string
	for i := range 300 {
		alices = append(alices, fmt.Sprintf("a%03d@example.com", i))
	}
	if _, err := f.svc.Invite(f.ctx, f.owner, org.InviteRequest{Emails: alices}); err != nil {
		t.Fatal(err)
	}
	bob, err := f.svc.AddMember(f.ctx, f.admin, org.NewMember{Email: "bob@acme.test", Name: "Bob", Role: org.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	adminRole, _ := store.GetRoleByKey(f.ctx, f.db.R, f.org.ID, org.RoleAdmin)
	bobActor := org.Actor{Kind: "user", ID: bob.UserID, UserID: bob.UserID, Name: "Bob", OrgID: f.org.ID, Role: adminRole}
	if _, err := f.svc.Invite(f.ctx, bobActor, org.InviteRequest{Emails: []string{"b1@example.com", "b2@example.com"}}); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(8 * 24 * time.Hour)

	stopping := org.New(f.db, org.Options{BaseURL: "https://lobby.example", Now: f.clock.Now})
	org.SetExpireHook(stopping, func(chunk int) error {
		if chunk == 2 {
			return errors.New("the process stops")
		}
		return nil
	})
	if _, err := stopping.ExpireDue(f.ctx); err == nil {
		t.Fatal("the stopped run did not fail")
	}
	stopped := f.count(`SELECT count(*) FROM invitations WHERE status = 'expired'`)
	if stopped == 0 || stopped == 302 {
		t.Fatalf("the stopped run expired %d of 302", stopped)
	}
	if n := f.count(`SELECT count(*) FROM outbox WHERE template = 'expired_notice'`); n != 0 {
		t.Fatalf("the stopped run told %d inviters", n)
	}

	if _, err := f.svc.ExpireDue(f.ctx); err != nil {
		t.Fatal(err)
	}
	told := map[string]int{}
	rows, err := f.db.R.QueryContext(f.ctx, `SELECT to_addr, data FROM outbox WHERE template = 'expired_notice'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var to, data string
		if err := rows.Scan(&to, &data); err != nil {
			t.Fatal(err)
		}
		var d struct {
			InviteeEmails []string
			More          int
		}
		if err := json.Unmarshal([]byte(data), &d); err != nil {
			t.Fatal(err)
		}
		if _, twice := told[to]; twice {
			t.Fatalf("%s got two notices", to)
		}
		told[to] = len(d.InviteeEmails) + d.More
	}
	if told["alice@acme.test"] != 300 || told["bob@acme.test"] != 2 || len(told) != 2 {
		t.Fatalf("notices counted %v, want alice 300 and bob 2", told)
	}
	// A third run has nothing left to tell.
	if _, err := f.svc.ExpireDue(f.ctx); err != nil {
		t.Fatal(err)
	}
	if n := f.count(`SELECT count(*) FROM outbox WHERE template = 'expired_notice'`); n != 2 {
		t.Fatalf("%d notices after a run with nothing to expire", n)
	}
}

// A mark left by a process whose clock runs ahead of this one's (two Lobby processes on one
// database, or a clock stepped back after a restart) must not hide this run's invitations:
// the inviters are still told of them, and the mark is cleared.
func TestExpireNoticesDoNotDependOnTheClockOfTheRunThatStopped(t *testing.T) {
	f := newFixture(t)
	f.invite("ann@example.com")
	f.invite("bob@example.com")
	f.clock.Add(8 * 24 * time.Hour)
	if _, err := f.db.W.Exec(`INSERT INTO expire_untold (since) VALUES (?)`, time.Now().Add(2*time.Minute).UnixMilli()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ExpireDue(f.ctx); err != nil {
		t.Fatal(err)
	}
	var data string
	if err := f.db.R.QueryRow(`SELECT data FROM outbox WHERE template = 'expired_notice'`).Scan(&data); err != nil {
		t.Fatalf("no notice: %v", err)
	}
	var d struct{ InviteeEmails []string }
	if err := json.Unmarshal([]byte(data), &d); err != nil || len(d.InviteeEmails) != 2 {
		t.Fatalf("the notice names %v (%v), want both", d.InviteeEmails, err)
	}
	if n := f.count(`SELECT count(*) FROM expire_untold`); n != 0 {
		t.Fatalf("%d marks left", n)
	}
}
