package org_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/lobby/lobby/app/org"
)

func setSeats(f *fixture, n int64) {
	f.t.Helper()
	if _, err := f.svc.UpdateSettings(f.ctx, f.owner, org.SettingsPatch{SeatLimitSet: true, SeatLimit: &n}); err != nil {
		f.t.Fatal(err)
	}
}

func TestSeatLimitPartWayThroughABatch(t *testing.T) {
	f := newFixture(t)
	setSeats(f, 4) // Alice holds one
	res, err := f.svc.Invite(f.ctx, f.owner, org.InviteRequest{Emails: []string{"a@x.test", "b@x.test", "c@x.test", "d@x.test", "e@x.test"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Created) != 3 || len(res.Errors) != 2 {
		t.Fatalf("created %d refused %+v", len(res.Created), res.Errors)
	}
	for _, e := range res.Errors {
		if e.Code != org.CodeSeatLimit {
			t.Fatalf("refusal %+v", e)
		}
	}
	used, limit, _ := f.svc.Seats(f.ctx, f.org.ID)
	if used != 4 || *limit != 4 {
		t.Fatalf("seats %d/%d", used, *limit)
	}
	// Revoking frees a seat; deactivating a member frees one; reactivating needs one.
	if _, err := f.svc.Revoke(f.ctx, f.owner, res.Created[0].Invitation.ID); err != nil {
		t.Fatal(err)
	}
	acc, err := f.svc.AcceptNewAccount(f.ctx, tokenOf(t, res.Created[1].AcceptURL), org.SignUp{Name: "B"})
	if err != nil {
		t.Fatal(err)
	}
	f.invite("f@x.test") // takes the seat the revoke freed
	if _, err := f.svc.Invite(f.ctx, f.owner, org.InviteRequest{Emails: []string{"g@x.test"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.UpdateMember(f.ctx, f.owner, acc.Membership.ID, org.MemberEdit{Status: ptr("deactivated")}); err != nil {
		t.Fatal(err)
	}
	f.invite("h@x.test")
	if _, err := f.svc.UpdateMember(f.ctx, f.owner, acc.Membership.ID, org.MemberEdit{Status: ptr("active")}); codeOf(err) != org.CodeSeatLimit {
		t.Fatalf("reactivation over the limit: %v", err)
	}
	// A direct add is a path in too.
	if _, err := f.svc.AddMember(f.ctx, f.admin, org.NewMember{Email: "z@x.test", Name: "Z"}); codeOf(err) != org.CodeSeatLimit {
		t.Fatalf("add over the limit: %v", err)
	}
}

func TestConcurrentInvitationsNeverExceedSeats(t *testing.T) {
	f := newFixture(t)
	setSeats(f, 11) // Alice + 10 free
	var wg sync.WaitGroup
	var mu sync.Mutex
	created, refused := 0, 0
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := f.svc.Invite(f.ctx, f.owner, org.InviteRequest{Emails: []string{fmt.Sprintf("p%d@x.test", i)}})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Error(err)
				return
			}
			created += len(res.Created)
			refused += len(res.Errors)
		}()
	}
	wg.Wait()
	if created != 10 || refused != 40 {
		t.Fatalf("created %d refused %d", created, refused)
	}
	if n := f.count(`SELECT count(*) FROM invitations WHERE status = 'pending'`); n != 10 {
		t.Fatalf("%d pending invitations in the database", n)
	}
}

func TestConcurrentAcceptsMakeOneMembership(t *testing.T) {
	f := newFixture(t)
	inv := f.invite("race@x.test")
	plain := tokenOf(t, inv.AcceptURL)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, used, taken := 0, 0, 0
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.svc.AcceptNewAccount(f.ctx, plain, org.SignUp{Name: fmt.Sprintf("R%d", i)})
			mu.Lock()
			defer mu.Unlock()
			switch codeOf(err) {
			case "":
				ok++
			case org.CodeInviteUsed:
				used++
			case org.CodeEmailTaken:
				taken++
			default:
				t.Errorf("unexpected: %v", err)
			}
		}()
	}
	wg.Wait()
	if ok != 1 || used+taken != 19 {
		t.Fatalf("ok %d used %d taken %d", ok, used, taken)
	}
	if n := f.count(`SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email_norm = 'race@x.test'`); n != 1 {
		t.Fatalf("%d memberships", n)
	}
}

// TestSeatMessagesWhenUseIsOverTheLimit: a limit lowered below the seats in use is kept (it
// stops newcomers), and every refusal then says how many are in use and what the limit is,
// instead of "has used all 1 of its seats" with 3 in use. At the limit the words stay.
func TestSeatMessagesWhenUseIsOverTheLimit(t *testing.T) {
	f := newFixture(t)
	f.invite("a@x.test")
	f.invite("b@x.test") // with Alice, 3 seats in use
	// An import previewed while seats were free finds none at its commit.
	p := f.preview("email\nc@x.test\n", org.ImportOptions{})
	setSeats(f, 1)
	const over = "Acme has no seats left: 3 in use, limit 1; free seats or raise the limit"
	res, err := f.svc.Invite(f.ctx, f.owner, org.InviteRequest{Emails: []string{"d@x.test"}})
	if err != nil || len(res.Errors) != 1 || res.Errors[0].Message != over {
		t.Fatalf("invite: %v %+v", err, res.Errors)
	}
	if _, err := f.svc.AddMember(f.ctx, f.admin, org.NewMember{Email: "e@x.test", Name: "E"}); err == nil || err.Error() != over {
		t.Fatalf("add: %v", err)
	}
	if r := f.preview("email\ng@x.test\n", org.ImportOptions{}).Rows[0]; r.Message != over {
		t.Fatalf("import preview: %q", r.Message)
	}
	if _, err := f.svc.CommitImport(f.ctx, f.owner, p.Import.ID, org.CommitOptions{}); err != nil {
		t.Fatal(err)
	}
	if r := f.rows(p.Import.ID)[2]; r.Message != "at commit: no seat was left; "+over {
		t.Fatalf("import commit: %q", r.Message)
	}
	// At the limit exactly, and when a batch fills it, the seats are all used.
	setSeats(f, 4)
	res, err = f.svc.Invite(f.ctx, f.owner, org.InviteRequest{Emails: []string{"h@x.test", "i@x.test"}})
	if err != nil || len(res.Created) != 1 || len(res.Errors) != 1 ||
		res.Errors[0].Message != "Acme has used all 4 of its seats; free a seat or raise the limit" {
		t.Fatalf("filling the limit: %v %+v", err, res.Errors)
	}
}
