package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/app/store/storetest"
)

// ConsumeInvitation is the one place that makes an invitation link single-use, so it is tried
// here on its own, with no check in front of it: every invitation that is not pending and
// unexpired is refused and left exactly as it was, and a consume touches no other row.
func TestConsumeInvitationRefusesAllButPendingUnexpired(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	const now = int64(1_780_000_000_000)
	const hour = int64(3_600_000)
	o := store.Org{ID: store.NewID(), Slug: "acme", Name: "Acme", InviteTTLMs: 1000, DefaultRole: "member", JoinRole: "member"}
	role := store.Role{ID: store.NewID(), OrgID: o.ID, Key: "member", Name: "Member", CreatedAt: now}
	first := store.User{ID: store.NewID(), Email: "first@x.test", EmailNorm: "first@x.test", Name: "First", CreatedAt: now}
	thief := store.User{ID: store.NewID(), Email: "thief@x.test", EmailNorm: "thief@x.test", Name: "Thief", CreatedAt: now}
	inv := func(email string, expiresAt int64) store.Invitation {
		return store.Invitation{ID: store.NewID(), OrgID: o.ID, Email: email, EmailNorm: email, RoleID: role.ID,
			TokenHash: "hash-of-" + email, Kind: "invite", DeliveryStatus: "not_sent", ExpiresAt: expiresAt,
			CreatedAt: now - hour, UpdatedAt: now - hour}
	}
	accepted := inv("accepted@x.test", now+hour)
	revoked := inv("revoked@x.test", now+hour)
	expired := inv("expired@x.test", now-1)      // past its expiry, not yet swept by the job
	dueNow := inv("due-now@x.test", now)         // expires this very millisecond
	swept := inv("swept@x.test", now-hour)       // the expire job has marked it
	declined := inv("declined@x.test", now+hour) // a join request an admin refused
	bystander := inv("bystander@x.test", now+hour)
	err := db.Tx(ctx, func(q store.Q) error {
		if err := store.CreateOrg(ctx, q, o); err != nil {
			return err
		}
		if err := store.CreateRole(ctx, q, role); err != nil {
			return err
		}
		for _, u := range []store.User{first, thief} {
			if err := store.CreateUser(ctx, q, u); err != nil {
				return err
			}
		}
		if err := store.InsertInvitations(ctx, q, []store.Invitation{accepted, revoked, expired, dueNow, swept, declined, bystander},
			make([][]string, 7)); err != nil {
			return err
		}
		// The positive control: a pending, unexpired invitation is consumed, once.
		if err := store.ConsumeInvitation(ctx, q, accepted.ID, first.ID, now-10); err != nil {
			return err
		}
		if err := store.RevokeInvitation(ctx, q, o.ID, revoked.ID, now-10); err != nil {
			return err
		}
		if err := store.SetInvitationStatus(ctx, q, swept.ID, "expired", now-10); err != nil {
			return err
		}
		return store.SetInvitationStatus(ctx, q, declined.ID, "declined", now-10)
	})
	if err != nil {
		t.Fatal(err)
	}
	read := func(id string) store.Invitation {
		t.Helper()
		i, err := store.GetInvitation(ctx, db.R, o.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		return i
	}
	if got := read(accepted.ID); got.Status != "accepted" || got.AcceptedUserID != first.ID {
		t.Fatalf("the control invitation was not consumed: status %q by %q", got.Status, got.AcceptedUserID)
	}
	before := map[string]store.Invitation{}
	for _, i := range []store.Invitation{accepted, revoked, expired, dueNow, swept, declined, bystander} {
		before[i.ID] = read(i.ID)
	}
	for _, tc := range []struct {
		name string
		id   string
	}{
		{"already accepted", accepted.ID},
		{"revoked", revoked.ID},
		{"pending but past its expiry", expired.ID},
		{"pending and expiring this millisecond", dueNow.ID},
		{"marked expired", swept.ID},
		{"declined", declined.ID},
		{"unknown", store.NewID()},
	} {
		err := db.Tx(ctx, func(q store.Q) error { return store.ConsumeInvitation(ctx, q, tc.id, thief.ID, now) })
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: ConsumeInvitation = %v; want ErrNotFound", tc.name, err)
		}
	}
	for id, was := range before {
		if got := read(id); !reflect.DeepEqual(got, was) {
			t.Errorf("invitation %s changed though every consume was refused: status %q → %q, accepted by %q → %q, updated %d → %d",
				was.Email, was.Status, got.Status, was.AcceptedUserID, got.AcceptedUserID, was.UpdatedAt, got.UpdatedAt)
		}
	}
	if n := countRows(t, db, `SELECT count(*) FROM invitations WHERE accepted_user_id = ?`, thief.ID); n != 0 {
		t.Fatalf("%d invitations now name the refused user as the one who accepted", n)
	}
}

func countRows(t *testing.T, db *store.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.R.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
