package org_test

import (
	"context"
	"testing"
	"time"

	"github.com/lobby/lobby/app/metrics"
	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store/storetest"
)

// Each thing that happens to an invitation moves its own counter of lobby_invitations_total, as
// /metrics shows it: created, refused (over the seat limit), accepted, revoked, expired and
// resent.
func TestInvitationOutcomesAreCounted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	clock := storetest.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	m := metrics.New()
	svc := org.New(db, org.Options{BaseURL: "https://lobby.example", Now: clock.Now, Metrics: m})
	o, err := svc.CreateOrg(ctx, org.SystemActor("cli", "test", ""), "acme", "Acme")
	if err != nil {
		t.Fatal(err)
	}
	admin := org.SystemActor("cli", "test", o.ID)
	// Four seats: the fifth address is refused for the seat limit (a bad address is no
	// outcome of an invitation: none is made).
	seats := int64(4)
	if _, err := svc.UpdateSettings(ctx, admin, org.SettingsPatch{SeatLimitSet: true, SeatLimit: &seats}); err != nil {
		t.Fatal(err)
	}
	res, err := svc.Invite(ctx, admin, org.InviteRequest{Emails: []string{
		"ann@acme.test", "bob@acme.test", "cy@acme.test", "dee@acme.test", "eve@acme.test", "not an address"}})
	if err != nil || len(res.Created) != 4 {
		t.Fatalf("invite: %+v %v", res, err)
	}
	ann, bob, cy := res.Created[0], res.Created[1], res.Created[2]
	if _, err := svc.AcceptNewAccount(ctx, tokenOf(t, ann.AcceptURL), org.SignUp{Name: "Ann", PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Revoke(ctx, admin, bob.Invitation.ID); err != nil {
		t.Fatal(err)
	}
	// A week and a day later the two still pending expire; one of them is sent again.
	clock.Add(8 * 24 * time.Hour)
	if _, err := svc.ExpireDue(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Resend(ctx, admin, cy.Invitation.ID, false); err != nil {
		t.Fatal(err)
	}

	got := map[string]float64{}
	families, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "lobby_invitations_total" {
			continue
		}
		for _, c := range f.GetMetric() {
			for _, l := range c.GetLabel() {
				if l.GetName() == "outcome" {
					got[l.GetValue()] = c.GetCounter().GetValue()
				}
			}
		}
	}
	want := map[string]float64{"created": 4, "refused": 1, "accepted": 1, "revoked": 1, "expired": 2, "resent": 1}
	for outcome, n := range want {
		if got[outcome] != n {
			t.Errorf("lobby_invitations_total{outcome=%q} = %v, want %v (all: %v)", outcome, got[outcome], n, got)
		}
	}
}
