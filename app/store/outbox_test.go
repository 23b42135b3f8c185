package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/app/store/storetest"
)

// outboxSeed inserts an organization, a role and n pending invitations with plain SQL and
// returns the organization id and the invitation ids.
func outboxSeed(t *testing.T, db *store.DB, n int) (string, []string) {
	t.Helper()
	org, role := store.NewID(), store.NewID()
	mustExec(t, db, `INSERT INTO organizations (id, slug, name, invite_ttl_ms, created_at) VALUES (?, ?, 'Acme', 1000, 1)`, org, "acme-"+org[len(org)-12:])
	mustExec(t, db, `INSERT INTO roles (id, org_id, key, name, created_at) VALUES (?, ?, 'member', 'Member', 1)`, role, org)
	ids := make([]string, n)
	for k := range ids {
		ids[k] = store.NewID()
		email := fmt.Sprintf("p%d@example.com", k)
		mustExec(t, db, `INSERT INTO invitations (id, org_id, email, email_norm, role_id, token_hash, expires_at, created_at, updated_at)
 VALUES (?, ?, ?, ?, ?, ?, 9999999999999, 1, 1)`, ids[k], org, email, email, role, "h"+ids[k])
	}
	return org, ids
}

func mustExec(t *testing.T, db *store.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.W.ExecContext(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func delivery(t *testing.T, db *store.DB, invID string) (status, reason string, sentAt *int64) {
	t.Helper()
	err := db.R.QueryRowContext(context.Background(), `SELECT delivery_status, delivery_error, sent_at FROM invitations WHERE id = ?`,
		invID).Scan(&status, &reason, &sentAt)
	if err != nil {
		t.Fatal(err)
	}
	return status, reason, sentAt
}

func enqueue(t *testing.T, db *store.DB, m store.OutboxMail, now int64) string {
	t.Helper()
	var id string
	err := db.Tx(context.Background(), func(q store.Q) (err error) {
		id, err = store.EnqueueMail(context.Background(), q, m, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestEnqueueMailBelongsToTheCallersTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	org, inv := outboxSeed(t, db, 1)
	boom := errors.New("boom")
	err := db.Tx(ctx, func(q store.Q) error {
		if _, err := store.EnqueueMail(ctx, q, store.OutboxMail{OrgID: org, InvitationID: inv[0], Template: "invite",
			To: "p0@example.com", Data: []byte(`{"AcceptURL":"x"}`)}, 100); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if list, _ := db.ListMail(ctx, "", "", store.Page{Limit: 10}); len(list) != 0 {
		t.Fatalf("rolled back email is in the outbox: %+v", list)
	}
	if st, _, _ := delivery(t, db, inv[0]); st != "not_sent" {
		t.Fatalf("rolled back delivery status = %q", st)
	}

	id := enqueue(t, db, store.OutboxMail{OrgID: org, InvitationID: inv[0], Template: "invite", To: "p0@example.com",
		Data: []byte(`{"AcceptURL":"x"}`)}, 100)
	m, err := db.GetMail(ctx, id)
	if err != nil || m.Status != "queued" || m.NextAttemptAt != 100 || string(m.Data) != `{"AcceptURL":"x"}` || m.OrgID != org {
		t.Fatalf("queued row = %+v, %v", m, err)
	}
	if st, _, _ := delivery(t, db, inv[0]); st != "queued" {
		t.Fatalf("delivery status = %q, want queued", st)
	}
	if _, err := db.GetMail(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown id: %v", err)
	}
}

func TestClaimDueMailLeasesRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	org, _ := outboxSeed(t, db, 0)
	var ids []string
	for k := range 3 {
		ids = append(ids, enqueue(t, db, store.OutboxMail{OrgID: org, Template: "welcome", To: "a@example.com"}, int64(300-k*100)))
	}
	enqueue(t, db, store.OutboxMail{Template: "password_reset", To: "b@example.com"}, 5000) // not due yet
	got, err := db.ClaimDueMail(ctx, 1000, 2, time.Minute)
	if err != nil || len(got) != 2 || got[0].ID != ids[2] || got[1].ID != ids[1] {
		t.Fatalf("first claim = %+v, %v; want the two oldest due", got, err)
	}
	if got, _ := db.ClaimDueMail(ctx, 1000, 10, time.Minute); len(got) != 1 || got[0].ID != ids[0] {
		t.Fatalf("second claim = %+v, want only the unclaimed due row", got)
	}
	if got, _ := db.ClaimDueMail(ctx, 1000+59_000, 10, time.Minute); len(got) != 1 || got[0].Template != "password_reset" {
		t.Fatalf("inside the lease = %+v, want only the later row", got)
	}
	if got, _ := db.ClaimDueMail(ctx, 1000+61_000, 10, time.Minute); len(got) != 3 {
		t.Fatalf("after the lease %d rows are due again, want 3 (nothing is lost when a sender dies)", len(got))
	}
}

func TestClaimDueMailNeverHandsARowToTwoProcesses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := storetest.Path(t)
	open := func() *store.DB {
		db, err := store.Open(ctx, path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(db.Close)
		return db
	}
	a, b := open(), open()
	ms := make([]store.OutboxMail, 200)
	for k := range ms {
		ms[k] = store.OutboxMail{Template: "welcome", To: fmt.Sprintf("u%d@example.com", k)}
	}
	if err := a.Tx(ctx, func(q store.Q) error { return store.EnqueueMails(ctx, q, ms, 1) }); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for _, db := range []*store.DB{a, b, a, b} {
		wg.Go(func() {
			for range 100 { // bounded: a broken lease must fail the test, not hang it
				got, err := db.ClaimDueMail(ctx, 10, 7, time.Hour)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, m := range got {
					seen[m.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != 200 {
		t.Fatalf("claimed %d distinct rows, want 200", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("row %s claimed %d times", id, n)
		}
	}
}

func TestMailOutcomesReachTheInvitation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	org, inv := outboxSeed(t, db, 2)
	sent := enqueue(t, db, store.OutboxMail{OrgID: org, InvitationID: inv[0], Template: "invite", To: "p0@example.com"}, 1)
	failed := enqueue(t, db, store.OutboxMail{OrgID: org, InvitationID: inv[1], Template: "invite", To: "p1@example.com"}, 1)

	if err := db.MarkMailRetry(ctx, sent, "dial tcp: connection refused", 500); err != nil {
		t.Fatal(err)
	}
	m, _ := db.GetMail(ctx, sent)
	if m.Attempts != 1 || m.NextAttemptAt != 500 || m.LastError != "dial tcp: connection refused" || m.Status != "queued" {
		t.Fatalf("after retry: %+v", m)
	}
	if st, _, _ := delivery(t, db, inv[0]); st != "queued" {
		t.Fatalf("a retry changed delivery status to %q", st)
	}
	if err := db.MarkMailSent(ctx, sent, "<abc@example.com>", []byte(`{}`), 900); err != nil {
		t.Fatal(err)
	}
	m, _ = db.GetMail(ctx, sent)
	if m.Status != "sent" || m.Attempts != 2 || m.MessageID != "<abc@example.com>" || m.SentAt == nil || *m.SentAt != 900 {
		t.Fatalf("after sent: %+v", m)
	}
	if st, _, at := delivery(t, db, inv[0]); st != "sent" || at == nil || *at != 900 {
		t.Fatalf("invitation after sent: %q %v", st, at)
	}

	if err := db.MarkMailFailed(ctx, failed, "550 no such user", []byte(`{}`), 700); err != nil {
		t.Fatal(err)
	}
	if st, reason, _ := delivery(t, db, inv[1]); st != "failed" || reason != "550 no such user" {
		t.Fatalf("invitation after failure: %q %q", st, reason)
	}
	if err := db.RetryMail(ctx, sent, 1000); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("retrying a sent email: %v, want ErrConflict", err)
	}
	if err := db.RetryMail(ctx, "nope", 1000); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("retrying an unknown email: %v, want ErrNotFound", err)
	}
	if err := db.RetryMail(ctx, failed, 1000); err != nil {
		t.Fatal(err)
	}
	m, _ = db.GetMail(ctx, failed)
	if m.Status != "queued" || m.Attempts != 0 || m.NextAttemptAt != 1000 {
		t.Fatalf("after console retry: %+v", m)
	}
	if st, reason, _ := delivery(t, db, inv[1]); st != "queued" || reason != "" {
		t.Fatalf("invitation after console retry: %q %q", st, reason)
	}
	if got, _ := db.ClaimDueMail(ctx, 1000, 10, time.Minute); len(got) != 1 || got[0].ID != failed {
		t.Fatalf("retried email is not due: %+v", got)
	}
}

func TestNewerMailReplacesOlderOfTheSameInvitation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	org, inv := outboxSeed(t, db, 1)
	old := enqueue(t, db, store.OutboxMail{OrgID: org, InvitationID: inv[0], Template: "invite", To: "p0@example.com"}, 1)
	if got, _ := db.ClaimDueMail(ctx, 1, 10, time.Minute); len(got) != 1 { // the old one is in flight
		t.Fatal("old email not claimed")
	}
	newer := enqueue(t, db, store.OutboxMail{OrgID: org, InvitationID: inv[0], Template: "invite", To: "p0@example.com"}, 2)
	if m, _ := db.GetMail(ctx, old); m.Status != "cancelled" {
		t.Fatalf("old email status = %q, want cancelled (its link is dead)", m.Status)
	}
	// The old email fails late: the invitation must keep following the newer one.
	if err := db.MarkMailFailed(ctx, old, "timeout", []byte(`{}`), 3); err != nil {
		t.Fatal(err)
	}
	if st, _, _ := delivery(t, db, inv[0]); st != "queued" {
		t.Fatalf("late failure of a replaced email set delivery status %q", st)
	}
	if err := db.MarkMailSent(ctx, newer, "<n@x>", []byte(`{}`), 4); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkMailFailed(ctx, newer, "late", []byte(`{}`), 5); err != nil {
		t.Fatal(err)
	}
	if st, _, _ := delivery(t, db, inv[0]); st != "sent" {
		t.Fatalf("delivery status = %q, want sent", st)
	}
	if err := db.RetryMail(ctx, old, 6); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("retrying a replaced email: %v, want ErrConflict", err)
	}
}

func TestClaimCancelsMailOfAnInvitationNoLongerPending(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	org, inv := outboxSeed(t, db, 2)
	revoked := enqueue(t, db, store.OutboxMail{OrgID: org, InvitationID: inv[0], Template: "invite", To: "p0@example.com"}, 1)
	kept := enqueue(t, db, store.OutboxMail{OrgID: org, InvitationID: inv[1], Template: "invite", To: "p1@example.com"}, 1)
	mustExec(t, db, `UPDATE invitations SET status = 'revoked' WHERE id = ?`, inv[0])
	got, err := db.ClaimDueMail(ctx, 10, 10, time.Minute)
	if err != nil || len(got) != 1 || got[0].ID != kept {
		t.Fatalf("claim = %+v, %v; want only the pending invitation's email", got, err)
	}
	if m, _ := db.GetMail(ctx, revoked); m.Status != "cancelled" || m.LastError == "" {
		t.Fatalf("revoked invitation's email = %+v", m)
	}
}

// A claim looks only at the emails it is about to take: dead emails further back in the queue
// wait for the claim that reaches them, and a batch made only of dead emails does not end the
// claim while live ones wait behind it.
func TestClaimLooksOnlyAtTheEmailsItTakes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	org, inv := outboxSeed(t, db, 7)
	var ids []string
	for k, i := range inv { // due at 1, 2, … 7: the claim takes them in that order
		ids = append(ids, enqueue(t, db, store.OutboxMail{OrgID: org, InvitationID: i, Template: "invite", To: fmt.Sprintf("p%d@example.com", k)}, int64(k+1)))
	}
	// Emails 0, 1, 2 and 5 belong to invitations revoked before they went out.
	for _, k := range []int{0, 1, 2, 5} {
		mustExec(t, db, `UPDATE invitations SET status = 'revoked' WHERE id = ?`, inv[k])
	}
	status := func(k int) string {
		m, err := db.GetMail(ctx, ids[k])
		if err != nil {
			t.Fatal(err)
		}
		return m.Status
	}
	got, err := db.ClaimDueMail(ctx, 100, 2, time.Minute)
	if err != nil || len(got) != 1 || got[0].ID != ids[3] {
		t.Fatalf("first claim = %+v, %v; want email 3 alone (0, 1 and 2 are dead, 4 is beyond the limit once 2 was read)", got, err)
	}
	for k, want := range []string{"cancelled", "cancelled", "cancelled", "queued", "queued", "queued", "queued"} {
		if st := status(k); st != want {
			t.Fatalf("after the first claim email %d is %s, want %s", k, st, want)
		}
	}
	got, err = db.ClaimDueMail(ctx, 100, 2, time.Minute)
	if err != nil || len(got) != 1 || got[0].ID != ids[4] {
		t.Fatalf("second claim = %+v, %v; want email 4", got, err)
	}
	if st := status(5); st != "cancelled" {
		t.Fatalf("email 5 is %s after the claim that read it, want cancelled", st)
	}
	got, err = db.ClaimDueMail(ctx, 100, 2, time.Minute)
	if err != nil || len(got) != 1 || got[0].ID != ids[6] {
		t.Fatalf("third claim = %+v, %v; want email 6", got, err)
	}
	if got, err = db.ClaimDueMail(ctx, 100, 2, time.Minute); err != nil || len(got) != 0 {
		t.Fatalf("fourth claim = %+v, %v; want nothing", got, err)
	}
}

func TestListMailPagesNewestFirst(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	org, _ := outboxSeed(t, db, 0)
	other, _ := outboxSeed(t, db, 0)
	var ids []string
	for k := range 5 {
		ids = append(ids, enqueue(t, db, store.OutboxMail{OrgID: org, Template: "welcome", To: fmt.Sprintf("u%d@example.com", k)}, 1))
	}
	enqueue(t, db, store.OutboxMail{OrgID: other, Template: "welcome", To: "x@example.com"}, 1)
	if err := db.MarkMailFailed(ctx, ids[1], "no", []byte(`{}`), 2); err != nil {
		t.Fatal(err)
	}
	page, err := db.ListMail(ctx, org, "", store.Page{Limit: 3})
	if err != nil || len(page) != 3 || page[0].ID != ids[4] || page[2].ID != ids[2] {
		t.Fatalf("first page = %v, %v", page, err)
	}
	page, _ = db.ListMail(ctx, org, "", store.Page{Limit: 3, Cursor: page[2].ID})
	if len(page) != 2 || page[0].ID != ids[1] || page[1].ID != ids[0] {
		t.Fatalf("second page = %v", page)
	}
	if page, _ := db.ListMail(ctx, org, "failed", store.Page{}); len(page) != 1 || page[0].ID != ids[1] {
		t.Fatalf("failed filter = %v", page)
	}
	if page, _ := db.ListMail(ctx, "", "", store.Page{}); len(page) != 6 {
		t.Fatalf("all organizations: %d rows, want 6", len(page))
	}
}

func TestPurgeSentMailInChunks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	ms := make([]store.OutboxMail, 2600)
	for k := range ms {
		ms[k] = store.OutboxMail{Template: "welcome", To: "a@example.com"}
	}
	if err := db.Tx(ctx, func(q store.Q) error { return store.EnqueueMails(ctx, q, ms, 1) }); err != nil {
		t.Fatal(err)
	}
	// 2,500 delivered long ago, 50 delivered recently, 50 still queued.
	mustExec(t, db, `UPDATE outbox SET status = 'sent', sent_at = 10 WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT 2500)`)
	mustExec(t, db, `UPDATE outbox SET status = 'sent', sent_at = 5000 WHERE id IN (SELECT id FROM outbox WHERE status = 'queued' LIMIT 50)`)
	n, err := db.PurgeSentMail(ctx, 1000)
	if err != nil || n != 2500 {
		t.Fatalf("purged %d, %v; want 2500", n, err)
	}
	var left, queued int
	_ = db.R.QueryRowContext(ctx, `SELECT COUNT(*), SUM(status = 'queued') FROM outbox`).Scan(&left, &queued)
	if left != 100 || queued != 50 {
		t.Fatalf("left %d rows (%d queued), want 100 (50 queued)", left, queued)
	}
}
