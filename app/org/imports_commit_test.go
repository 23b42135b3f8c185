package org_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// numbered writes a CSV of n addresses p1@x.test … pn@x.test.
func numbered(n int) string {
	var b strings.Builder
	b.WriteString("email,name\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "p%d@x.test,Person %d\n", i, i)
	}
	return b.String()
}

func TestImportCommitRechecksSeats(t *testing.T) {
	f := newFixture(t)
	f.setSeats(5) // alice holds one: four rows fit at preview
	p := f.preview(numbered(6), org.ImportOptions{Filename: "team.csv"})
	if p.Import.Summary.ToInvite() != 4 || p.Import.Summary.Outcomes[org.OutcomeSeatLimit] != 2 {
		t.Fatalf("preview: %+v", p.Import.Summary)
	}
	// Before the commit someone takes a seat, and p2 becomes a member another way.
	f.invite("elsewhere@x.test")
	if _, err := f.svc.AddMember(f.ctx, f.admin, org.NewMember{Email: "p2@x.test", Name: "P2", Role: org.RoleMember}); err != nil {
		t.Fatal(err)
	}
	var progress []string
	im, err := f.svc.CommitImport(f.ctx, f.owner, p.Import.ID, org.WithCommitHook(org.CommitOptions{Notify: true,
		Progress: func(done, total int) { progress = append(progress, fmt.Sprintf("%d/%d", done, total)) }}, 3, nil))
	if err != nil {
		t.Fatal(err)
	}
	rows := f.rows(p.Import.ID)
	// Seats: alice, elsewhere, p2 = 3 of 5 → p1 and p3 fit, p4 does not.
	for line, want := range map[int]string{2: org.OutcomeInvited, 3: org.OutcomeAlreadyMember, 4: org.OutcomeInvited,
		5: org.OutcomeSeatLimit, 6: org.OutcomeSeatLimit, 7: org.OutcomeSeatLimit} {
		if rows[line].Outcome != want {
			t.Errorf("line %d: %s %q, want %s", line, rows[line].Outcome, rows[line].Message, want)
		}
	}
	if !strings.HasPrefix(rows[5].Message, "at commit:") || strings.HasPrefix(rows[6].Message, "at commit:") {
		t.Errorf("messages do not tell commit refusals from preview ones: %q / %q", rows[5].Message, rows[6].Message)
	}
	if im.Status != org.ImportStatusCommitted || im.CommittedAt == nil || !im.Notify || im.Summary.Done != 4 || im.Summary.Total != 4 ||
		im.Summary.Outcomes[org.OutcomeInvited] != 2 || im.Summary.Outcomes[org.OutcomeInvite] != 0 {
		t.Errorf("import after commit: %s %+v", im.Status, im.Summary)
	}
	if strings.Join(progress, " ") != "3/4 4/4" {
		t.Errorf("progress: %v", progress)
	}
	n := f.count(`SELECT count(*) FROM invitations i JOIN import_rows r ON r.invitation_id = i.id
 WHERE i.import_id = ? AND r.import_id = ? AND i.delivery_status = 'queued' AND i.invited_by = ?`, im.ID, im.ID, f.owner.UserID)
	if n != 2 || f.count(`SELECT count(*) FROM outbox o JOIN invitations i ON i.id = o.invitation_id WHERE i.import_id = ?`, im.ID) != 2 {
		t.Errorf("%d invitations linked to their rows and mailed, want 2", n)
	}
	if got := f.count(`SELECT count(*) FROM invitations WHERE name = 'Person 1'`); got != 1 {
		t.Errorf("names from the file: %d", got)
	}
	// Committing again changes nothing.
	again, err := f.svc.CommitImport(f.ctx, f.owner, im.ID, org.CommitOptions{Notify: true})
	if err != nil || again.Status != org.ImportStatusCommitted || f.count(`SELECT count(*) FROM invitations WHERE import_id = ?`, im.ID) != 2 {
		t.Fatalf("second commit: %v", err)
	}
	if f.count(`SELECT count(*) FROM audit_log WHERE action = 'import.committed' AND target_id = ?`, im.ID) != 1 {
		t.Error("the commit is not in the audit log once")
	}
}

func TestImportCommitResumesAfterAFailedChunk(t *testing.T) {
	f := newFixture(t)
	p := f.preview(numbered(7), org.ImportOptions{})
	boom := errors.New("the power went out")
	_, err := f.svc.CommitImport(f.ctx, f.owner, p.Import.ID, org.WithCommitHook(org.CommitOptions{Notify: true}, 3,
		func(chunk int) error {
			if chunk == 2 {
				return boom
			}
			return nil
		}))
	if !errors.Is(err, boom) {
		t.Fatalf("commit: %v", err)
	}
	// The first chunk is whole, the second left nothing behind.
	im, _ := f.svc.Import(f.ctx, f.owner, p.Import.ID)
	linked := f.count(`SELECT count(*) FROM import_rows WHERE import_id = ? AND invitation_id IS NOT NULL`, im.ID)
	if im.Status != org.ImportStatusCommitting || im.Summary.Done != 3 || linked != 3 ||
		f.count(`SELECT count(*) FROM invitations WHERE import_id = ?`, im.ID) != 3 ||
		f.count(`SELECT count(*) FROM outbox o JOIN invitations i ON i.id = o.invitation_id WHERE i.import_id = ?`, im.ID) != 3 {
		t.Fatalf("after the failure: status %s, done %d, linked %d", im.Status, im.Summary.Done, linked)
	}
	// Cancelling a half-committed import is refused; committing again goes on where it stopped.
	if _, err := f.svc.CancelImport(f.ctx, f.owner, im.ID); codeOf(err) != org.CodeConflict {
		t.Fatalf("cancel mid-commit: %v", err)
	}
	im, err = f.svc.CommitImport(f.ctx, f.owner, im.ID, org.WithCommitHook(org.CommitOptions{Notify: false}, 3, nil))
	if err != nil {
		t.Fatal(err)
	}
	if im.Status != org.ImportStatusCommitted || im.Summary.Done != 7 || im.Summary.Outcomes[org.OutcomeInvited] != 7 ||
		f.count(`SELECT count(*) FROM invitations WHERE import_id = ?`, im.ID) != 7 ||
		f.count(`SELECT count(DISTINCT email_norm) FROM invitations WHERE import_id = ?`, im.ID) != 7 {
		t.Fatalf("after resuming: %s %+v", im.Status, im.Summary)
	}
	// The resumed commit kept the first call's choice to send emails.
	if n := f.count(`SELECT count(*) FROM outbox o JOIN invitations i ON i.id = o.invitation_id WHERE i.import_id = ?`, im.ID); n != 7 {
		t.Fatalf("%d emails queued, want 7", n)
	}
	// Send invitations on it sends none and leaves the report as the commit wrote it.
	if sent, err := f.svc.SendImport(f.ctx, f.owner, im.ID); err != nil || sent != 0 {
		t.Fatalf("send after a commit with emails: %d %v", sent, err)
	}
	if n := f.count(`SELECT count(*) FROM import_rows WHERE import_id = ? AND message = 'invited; the email is on its way'`, im.ID); n != 7 {
		t.Fatalf("%d rows still say the email is on its way", n)
	}
}

func TestImportWithoutEmailsThenSend(t *testing.T) {
	f := newFixture(t)
	p := f.preview(numbered(3), org.ImportOptions{})
	if _, err := f.svc.SendImport(f.ctx, f.owner, p.Import.ID); codeOf(err) != org.CodeConflict {
		t.Fatalf("send before commit: %v", err)
	}
	im, err := f.svc.CommitImport(f.ctx, f.owner, p.Import.ID, org.CommitOptions{Notify: false})
	if err != nil {
		t.Fatal(err)
	}
	if n := f.count(`SELECT count(*) FROM outbox`); n != 0 || im.Notify {
		t.Fatalf("a commit without notify queued %d emails", n)
	}
	if n := f.count(`SELECT count(*) FROM invitations WHERE import_id = ? AND delivery_status = 'not_sent' AND send_count = 0`, im.ID); n != 3 {
		t.Fatalf("%d unsent invitations, want 3", n)
	}
	// One was revoked meanwhile: it is not sent.
	var revoked string
	_ = f.db.R.QueryRowContext(f.ctx, `SELECT id FROM invitations WHERE email_norm = 'p2@x.test'`).Scan(&revoked)
	if _, err := f.svc.Revoke(f.ctx, f.owner, revoked); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(48 * time.Hour) // sending later starts the expiry afresh
	sent, err := f.svc.SendImport(f.ctx, f.owner, im.ID)
	if err != nil || sent != 2 {
		t.Fatalf("sent %d: %v", sent, err)
	}
	if n := f.count(`SELECT count(*) FROM outbox WHERE template = 'invite' AND to_addr IN ('p1@x.test', 'p3@x.test')`); n != 2 {
		t.Fatalf("%d emails queued", n)
	}
	if n := f.count(`SELECT count(*) FROM invitations WHERE import_id = ? AND send_count = 1 AND delivery_status = 'queued' AND expires_at = ?`,
		im.ID, f.clock.Now().UnixMilli()+org.DefaultInviteTTL); n != 2 {
		t.Fatalf("%d invitations marked sent with a fresh expiry", n)
	}
	// The link in the email works.
	var data []byte
	_ = f.db.R.QueryRowContext(f.ctx, `SELECT data FROM outbox WHERE to_addr = 'p1@x.test'`).Scan(&data)
	i := bytes.Index(data, []byte("https://lobby.example/invite/"))
	if i < 0 {
		t.Fatalf("no link in %s", data)
	}
	url := string(data[i:])
	url = url[:strings.IndexByte(url, '"')]
	if _, err := f.svc.AcceptNewAccount(f.ctx, tokenOf(t, url), org.SignUp{Name: "P1"}); err != nil {
		t.Fatalf("accepting the sent link: %v", err)
	}
	// Sending again sends none twice.
	if again, err := f.svc.SendImport(f.ctx, f.owner, im.ID); err != nil || again != 0 {
		t.Fatalf("second send: %d %v", again, err)
	}
	im, _ = f.svc.Import(f.ctx, f.owner, im.ID)
	if im.Summary.Sent != 2 || !im.Notify {
		t.Fatalf("summary after sending: %+v", im.Summary)
	}
	// Sending in chunks goes on where each ended: the invitations of a second import, three to
	// a transaction, each once.
	q := f.preview(strings.ReplaceAll(numbered(8), "@x.test", "@y.test"), org.ImportOptions{})
	if _, err := f.svc.CommitImport(f.ctx, f.owner, q.Import.ID, org.CommitOptions{Notify: false}); err != nil {
		t.Fatal(err)
	}
	org.SetSendChunk(f.svc, 3)
	if sent, err := f.svc.SendImport(f.ctx, f.owner, q.Import.ID); err != nil || sent != 8 {
		t.Fatalf("sent in chunks of 3: %d %v", sent, err)
	}
	if n := f.count(`SELECT count(*) FROM outbox o JOIN invitations i ON i.id = o.invitation_id WHERE i.import_id = ?`, q.Import.ID); n != 8 {
		t.Fatalf("%d emails for 8 invitations", n)
	}
	if im2, _ := f.svc.Import(f.ctx, f.owner, q.Import.ID); im2.Summary.Sent != 8 {
		t.Fatalf("the import counts %d sent", im2.Summary.Sent)
	}
	// The per-row report says which were emailed later; the revoked one was not.
	if n := f.count(`SELECT count(*) FROM import_rows WHERE import_id = ? AND message = 'invited; emailed later, with Send invitations'`, im.ID); n != 2 {
		t.Fatalf("%d rows say they were emailed later", n)
	}
	if n := f.count(`SELECT count(*) FROM import_rows WHERE import_id = ? AND message = 'invited; not emailed yet'`, im.ID); n != 1 {
		t.Fatalf("%d rows still say not emailed yet", n)
	}
}

func TestImportResendsExistingInvitations(t *testing.T) {
	f := newFixture(t)
	old := f.invite("ann@x.test")
	f.invite("bea@x.test")
	p := f.preview("email\nann@x.test\nnew@x.test\n", org.ImportOptions{ResendExisting: true})
	if r := f.rows(p.Import.ID)[2]; r.Outcome != org.OutcomeResend || p.Import.Summary.ToInvite() != 2 {
		t.Fatalf("preview: %+v %+v", r, p.Import.Summary)
	}
	if _, err := f.svc.CommitImport(f.ctx, f.owner, p.Import.ID, org.CommitOptions{Notify: true}); err != nil {
		t.Fatal(err)
	}
	r := f.rows(p.Import.ID)[2]
	if r.Outcome != org.OutcomeResent || r.InvitationID != old.Invitation.ID {
		t.Fatalf("ann's row: %+v", r)
	}
	if _, err := f.svc.AcceptNewAccount(f.ctx, tokenOf(t, old.AcceptURL), org.SignUp{Name: "Ann"}); err == nil {
		t.Fatal("the old link still works after the resend")
	}
	if n := f.count(`SELECT count(*) FROM outbox WHERE to_addr = 'ann@x.test' AND status = 'queued'`); n != 1 {
		t.Fatalf("ann has %d queued emails, want the newest only", n)
	}
	// Without emails, a resend row is left alone: a new link nobody is told about would only break the old one.
	p2 := f.preview("email\nbea@x.test\n", org.ImportOptions{ResendExisting: true})
	if _, err := f.svc.CommitImport(f.ctx, f.owner, p2.Import.ID, org.CommitOptions{Notify: false}); err != nil {
		t.Fatal(err)
	}
	if r := f.rows(p2.Import.ID)[2]; r.Outcome != org.OutcomeAlreadyInvited || !strings.Contains(r.Message, "sends no emails") {
		t.Fatalf("bea's row: %+v", r)
	}
	var inv store.Invitation
	inv, _ = store.GetInvitation(f.ctx, f.db.R, f.org.ID, f.rows(p2.Import.ID)[2].InvitationID)
	if inv.SendCount != 1 {
		t.Fatalf("bea's invitation was touched: send count %d", inv.SendCount)
	}
}

func TestCommitImportWithin(t *testing.T) {
	f := newFixture(t)
	p := f.preview(numbered(2), org.ImportOptions{})
	im, done, err := f.svc.CommitImportWithin(f.ctx, f.owner, p.Import.ID, org.CommitOptions{Notify: true}, time.Minute)
	if err != nil || !done || im.Status != org.ImportStatusCommitted || im.Summary.Outcomes[org.OutcomeInvited] != 2 {
		t.Fatalf("commit within a minute: done %v, %s, %v", done, im.Status, err)
	}
	// Refusals come back at once, however short the wait.
	p2 := f.preview(numbered(1), org.ImportOptions{})
	if _, err := f.svc.CancelImport(f.ctx, f.owner, p2.Import.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.CommitImportWithin(f.ctx, f.owner, p2.Import.ID, org.CommitOptions{}, time.Nanosecond); codeOf(err) != org.CodeConflict {
		t.Fatalf("cancelled import: %v", err)
	}
	if _, _, err := f.svc.CommitImportWithin(f.ctx, f.owner, "nope", org.CommitOptions{}, time.Nanosecond); codeOf(err) != org.CodeNotFound {
		t.Fatalf("unknown import: %v", err)
	}
}
