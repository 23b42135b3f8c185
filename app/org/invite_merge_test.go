package org_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// queuedInvites holds the writer, queues one Invite call per request (in order) from svc,
// releases the writer and returns each call's result and error: the calls then run in one
// group, where those with one actor and the same options are merged.
func queuedInvites(t *testing.T, f *fixture, svc *org.Service, reqs []org.InviteRequest) ([]org.InviteResult, []error) {
	t.Helper()
	started, release := make(chan struct{}), make(chan struct{})
	held := make(chan error, 1)
	go func() {
		held <- f.db.Tx(f.ctx, func(store.Q) error {
			close(started)
			<-release
			return nil
		})
	}()
	<-started
	results, errs := make([]org.InviteResult, len(reqs)), make([]error, len(reqs))
	var wg sync.WaitGroup
	for i, req := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = svc.Invite(f.ctx, f.owner, req)
		}()
		deadline := time.Now().Add(5 * time.Second)
		for f.db.QueuedWrites() < i+1 {
			if time.Now().After(deadline) {
				t.Fatalf("the invitation %d never queued for the writer", i)
			}
			time.Sleep(time.Millisecond)
		}
	}
	close(release)
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	return results, errs
}

// tickingService is another Service on f's database whose clock moves a millisecond each time
// it is read: invitations made in one merged call share their creation time, and invitations
// made one by one do not.
func tickingService(f *fixture) *org.Service {
	var ticks atomic.Int64
	base := f.clock.Now()
	return org.New(f.db, org.Options{BaseURL: "https://lobby.example", Now: func() time.Time {
		return base.Add(time.Duration(ticks.Add(1)) * time.Millisecond)
	}})
}

func singles(emails ...string) []org.InviteRequest {
	reqs := make([]org.InviteRequest, len(emails))
	for i, e := range emails {
		reqs[i] = org.InviteRequest{Emails: []string{e}, Notify: true}
	}
	return reqs
}

// TestConcurrentInvitationsMergeIntoOneBatch queues twelve single invitations at once: they are
// made by one call (one creation time), and each caller gets its own invitation, link, email
// and audit row, as if it had been alone.
func TestConcurrentInvitationsMergeIntoOneBatch(t *testing.T) {
	f := newFixture(t)
	svc := tickingService(f)
	var emails []string
	for i := range 12 {
		emails = append(emails, fmt.Sprintf("m%02d@x.test", i))
	}
	results, errs := queuedInvites(t, f, svc, singles(emails...))
	links := map[string]bool{}
	for i, res := range results {
		if errs[i] != nil || len(res.Created) != 1 || len(res.Errors) != 0 {
			t.Fatalf("invite %s: %+v, %v", emails[i], res, errs[i])
		}
		c := res.Created[0]
		if c.Invitation.EmailNorm != emails[i] || c.Existing || c.AcceptURL == "" || links[c.AcceptURL] {
			t.Errorf("invite %s got %+v", emails[i], c)
		}
		links[c.AcceptURL] = true
		opened, err := svc.OpenInvitation(f.ctx, tokenOf(t, c.AcceptURL))
		if err != nil || opened.Invitation.ID != c.Invitation.ID {
			t.Errorf("the link of %s opens %+v, %v", emails[i], opened.Invitation, err)
		}
	}
	if n := f.count(`SELECT count(DISTINCT created_at) FROM invitations WHERE email_norm LIKE 'm%'`); n != 1 {
		t.Errorf("the invitations have %d creation times: they were not made in one call", n)
	}
	if n := f.count(`SELECT count(*) FROM outbox WHERE to_addr LIKE 'm%'`); n != 12 {
		t.Errorf("%d emails queued, want 12", n)
	}
	if n := f.count(`SELECT count(*) FROM audit_log WHERE action = 'invitation.created' AND actor_id = ?`, f.owner.ID); n != 12 {
		t.Errorf("%d audit rows, want 12", n)
	}
}

// TestMergedInvitationsTakeSeatsInOrder queues more single invitations than there are seats:
// the first ones in the queue get the seats and the others are refused, as one by one.
func TestMergedInvitationsTakeSeatsInOrder(t *testing.T) {
	f := newFixture(t)
	setSeats(f, 4) // Alice + 3 free
	svc := tickingService(f)
	results, errs := queuedInvites(t, f, svc, singles("s0@x.test", "s1@x.test", "s2@x.test", "s3@x.test", "s4@x.test"))
	for i, res := range results {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if i < 3 && len(res.Created) != 1 {
			t.Errorf("invite %d: %+v, want created", i, res)
		}
		if i >= 3 && (len(res.Created) != 0 || len(res.Errors) != 1 || res.Errors[0].Code != org.CodeSeatLimit) {
			t.Errorf("invite %d: %+v, want refused for the seat limit", i, res)
		}
	}
	if n := f.count(`SELECT count(DISTINCT created_at) FROM invitations`); n != 1 {
		t.Errorf("%d creation times: the invitations were not made in one call", n)
	}
}

// TestMergedInvitationsOfOneAddress queues two invitations of one address among others: the
// merged call cannot make both, so each runs alone, and the second finds the first's.
func TestMergedInvitationsOfOneAddress(t *testing.T) {
	f := newFixture(t)
	svc := tickingService(f)
	results, errs := queuedInvites(t, f, svc, singles("d0@x.test", "same@x.test", "d1@x.test", "same@x.test"))
	for i, res := range results {
		if errs[i] != nil || len(res.Created) != 1 {
			t.Fatalf("invite %d: %+v, %v", i, res, errs[i])
		}
	}
	first, second := results[1].Created[0], results[3].Created[0]
	if first.Existing || !second.Existing || first.Invitation.ID != second.Invitation.ID || second.AcceptURL != "" {
		t.Errorf("the second invitation of one address should answer the first: %+v / %+v", first, second)
	}
	if n := f.count(`SELECT count(*) FROM invitations WHERE email_norm = 'same@x.test'`); n != 1 {
		t.Errorf("%d invitations of the address, want 1", n)
	}
}

// TestMergedInvitationsThatFailFailAlone queues invitations with a role that does not exist
// between good ones with other options: each bad one gets its own clear error, and the good
// ones are made.
func TestMergedInvitationsThatFailFailAlone(t *testing.T) {
	f := newFixture(t)
	svc := tickingService(f)
	reqs := singles("g0@x.test", "b0@x.test", "g1@x.test", "b1@x.test", "b2@x.test")
	for _, i := range []int{1, 3, 4} {
		reqs[i].Role = "no-such-role"
	}
	results, errs := queuedInvites(t, f, svc, reqs)
	for i, res := range results {
		bad := reqs[i].Role != ""
		if bad && codeOf(errs[i]) != org.CodeUnknownRole {
			t.Errorf("invite %d: err %v, want %s", i, errs[i], org.CodeUnknownRole)
		}
		if !bad && (errs[i] != nil || len(res.Created) != 1) {
			t.Errorf("invite %d: %+v, %v", i, res, errs[i])
		}
	}
	if n := f.count(`SELECT count(*) FROM invitations WHERE email_norm LIKE 'b%'`); n != 0 {
		t.Errorf("%d invitations with the unknown role", n)
	}
	if n := f.count(`SELECT count(*) FROM invitations WHERE email_norm LIKE 'g%'`); n != 2 {
		t.Errorf("%d good invitations, want 2", n)
	}
}

// TestMergedInvitationsUnderLoad sends 200 invitation calls at once from two actors, over 40
// addresses (so many calls name an address another call names), some with a role that does
// not exist and some dry runs. Every address ends with one pending invitation, made by exactly
// one call; the others found it or were refused, and dry runs and failed calls left nothing.
func TestMergedInvitationsUnderLoad(t *testing.T) {
	f := newFixture(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	made := map[string]string{} // address → invitation id, from the calls that created it
	found := map[string][]string{}
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			email := fmt.Sprintf("load%02d@x.test", i%40)
			req := org.InviteRequest{Emails: []string{email}, Notify: i%3 != 0}
			actor := f.owner
			if i%2 == 1 {
				actor = f.admin
			}
			switch i % 11 {
			case 5:
				req.Role = "no-such-role"
			case 7:
				req.DryRun = true
			}
			res, err := f.svc.Invite(f.ctx, actor, req)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case req.Role != "":
				if codeOf(err) != org.CodeUnknownRole {
					t.Errorf("call %d with an unknown role: %v", i, err)
				}
			case err != nil || len(res.Created) != 1:
				t.Errorf("call %d: %+v, %v", i, res, err)
			case req.DryRun:
			case res.Created[0].Existing:
				found[email] = append(found[email], res.Created[0].Invitation.ID)
			default:
				if prev, ok := made[email]; ok {
					t.Errorf("%s was created twice: %s and %s", email, prev, res.Created[0].Invitation.ID)
				}
				made[email] = res.Created[0].Invitation.ID
			}
		}()
	}
	wg.Wait()
	if n := f.count(`SELECT count(*) FROM invitations WHERE status = 'pending'`); n != len(made) || n != 40 {
		t.Errorf("%d pending invitations, %d made by the calls, want 40", n, len(made))
	}
	for email, ids := range found {
		for _, id := range ids {
			if id != made[email] {
				t.Errorf("a call found %s for %s, which was made as %s", id, email, made[email])
			}
		}
	}
	if n := f.count(`SELECT count(*) FROM audit_log WHERE action = 'invitation.created'`); n != 40 {
		t.Errorf("%d audit rows for made invitations, want 40", n)
	}
}
