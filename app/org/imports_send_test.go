package org_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/lobby/lobby/app/org"
)

// A Send invitations that stops part-way (here its context ends after the first of three
// transactions, as at a restart) leaves the import not yet emailed, so the console still
// offers the button, and sending again emails the rest, none twice.
func TestSendImportStoppedPartWayCanBeSentAgain(t *testing.T) {
	f := newFixture(t)
	p := f.preview(numbered(8), org.ImportOptions{})
	if _, err := f.svc.CommitImport(f.ctx, f.owner, p.Import.ID, org.CommitOptions{Notify: false}); err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(f.ctx)
	defer stop()
	stopping := org.New(f.db, org.Options{BaseURL: "https://lobby.example", Now: f.clock.Now, MailQueued: stop})
	org.SetSendChunk(stopping, 3)
	sent, err := stopping.SendImport(ctx, f.owner, p.Import.ID)
	if !errors.Is(err, context.Canceled) || sent != 3 {
		t.Fatalf("the stopped send: %d sent, %v", sent, err)
	}
	im, err := f.svc.Import(f.ctx, f.owner, p.Import.ID)
	if err != nil {
		t.Fatal(err)
	}
	if im.Notify || im.Summary.Sent != 3 {
		t.Fatalf("after the stop the import says emailed=%v, sent %d: the console would not offer to send the rest", im.Notify, im.Summary.Sent)
	}
	if sent, err := f.svc.SendImport(f.ctx, f.owner, p.Import.ID); err != nil || sent != 5 {
		t.Fatalf("sending again: %d, %v", sent, err)
	}
	if im, _ = f.svc.Import(f.ctx, f.owner, p.Import.ID); !im.Notify || im.Summary.Sent != 8 {
		t.Fatalf("after the second send: emailed=%v, sent %d", im.Notify, im.Summary.Sent)
	}
	if n := f.count(`SELECT count(*) FROM outbox o JOIN invitations i ON i.id = o.invitation_id WHERE i.import_id = ? AND o.status = 'queued'`, p.Import.ID); n != 8 {
		t.Fatalf("%d queued emails for 8 invitations", n)
	}
}

// Reading a file and committing it record when they last made progress, which tells the
// console a running import from one that stopped when Lobby did (Import.Stopped).
func TestImportsRecordTheirProgressTime(t *testing.T) {
	f := newFixture(t)
	p := f.preview(numbered(3), org.ImportOptions{})
	if p.Import.Summary.Touched != f.clock.Now().UnixMilli() {
		t.Fatalf("the preview's progress time: %d", p.Import.Summary.Touched)
	}
	f.clock.Add(10 * time.Minute)
	var during org.Import
	opt := org.WithCommitHook(org.CommitOptions{}, 1, func(chunk int) error {
		if chunk == 2 {
			return errors.New("the process stops")
		}
		return nil
	})
	if _, err := f.svc.CommitImport(f.ctx, f.owner, p.Import.ID, opt); err == nil {
		t.Fatal("the stopped commit did not fail")
	}
	during, _ = f.svc.Import(f.ctx, f.owner, p.Import.ID)
	if during.Status != org.ImportStatusCommitting || during.Summary.Touched != f.clock.Now().UnixMilli() || during.Stopped(f.clock.Now()) {
		t.Fatalf("a commit that just made progress: %s, touched %d", during.Status, during.Summary.Touched)
	}
	if !during.Stopped(f.clock.Now().Add(2 * time.Minute)) {
		t.Fatal("two minutes without progress, the commit is not taken as stopped")
	}
}
