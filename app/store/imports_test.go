package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/app/store/storetest"
)

func TestImportRowsRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	o := store.Org{ID: store.NewID(), Slug: "acme", Name: "Acme", InviteTTLMs: 1000, DefaultRole: "member", JoinRole: "member"}
	im := store.Import{ID: store.NewID(), OrgID: o.ID, Filename: "f.csv", Status: "preview", Counts: "{}", CreatedAt: 5}
	var rows []store.ImportRow
	for i := 2; i <= 301; i++ {
		rows = append(rows, store.ImportRow{ImportID: im.ID, Line: i, Email: fmt.Sprintf("p%d@x.test", i), Outcome: "invite"})
	}
	// A cell that looks like a date must come back as written, not as a time.
	rows[0].Name, rows[0].Teams, rows[0].Message = "2024-01-02", []string{"A", "B c"}, "first"
	rows[1].Outcome = "duplicate"
	err := db.Tx(ctx, func(q store.Q) error {
		if err := store.CreateOrg(ctx, q, o); err != nil {
			return err
		}
		if err := store.CreateImport(ctx, q, im); err != nil {
			return err
		}
		return store.InsertImportRows(ctx, q, rows)
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := store.ListImportRows(ctx, db.R, im.ID, store.ImportRowFilter{Limit: 1000})
	if err != nil || len(got) != 300 {
		t.Fatalf("%d rows: %v", len(got), err)
	}
	if r := got[0]; r.Line != 2 || r.Name != "2024-01-02" || len(r.Teams) != 2 || r.Teams[1] != "B c" || r.ImportID != im.ID {
		t.Fatalf("first row: %+v", r)
	}
	err = db.Tx(ctx, func(q store.Q) error {
		return store.UpdateImportRows(ctx, q, im.ID, []store.ImportRowChange{
			{Line: 2, Message: "also on line 3", AppendMessage: true},
			{Line: 3, Outcome: "duplicate", Message: "repeat"},
			{Line: 4, Outcome: "invited", Message: "done", InvitationID: "inv-4"},
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ = store.ListImportRows(ctx, db.R, im.ID, store.ImportRowFilter{Limit: 3})
	if got[0].Message != "first; also on line 3" || got[0].Outcome != "invite" || got[1].Message != "repeat" ||
		got[2].Outcome != "invited" || got[2].InvitationID != "inv-4" {
		t.Fatalf("after changes: %+v", got)
	}
	// Pending work: invite rows without an invitation, after a line, in order.
	got, _ = store.ListImportRows(ctx, db.R, im.ID, store.ImportRowFilter{Outcomes: []string{"invite"}, Unlinked: true, AfterLine: 2, Limit: 2})
	if len(got) != 2 || got[0].Line != 5 || got[1].Line != 6 {
		t.Fatalf("pending rows: %+v", got)
	}
	// A status change only happens from the statuses named.
	im.Status = "committing"
	if err := db.Tx(ctx, func(q store.Q) error { return store.UpdateImport(ctx, q, im, "cancelled") }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("update from the wrong status: %v", err)
	}
	if err := db.Tx(ctx, func(q store.Q) error { return store.UpdateImport(ctx, q, im, "preview") }); err != nil {
		t.Fatal(err)
	}
	list, err := store.ListImports(ctx, db.R, o.ID, store.Page{})
	if err != nil || len(list) != 1 || list[0].Status != "committing" || list[0].Filename != "f.csv" {
		t.Fatalf("list: %+v %v", list, err)
	}
	if err := db.Tx(ctx, func(q store.Q) error { return store.DeleteImport(ctx, q, o.ID, im.ID) }); err != nil {
		t.Fatal(err)
	}
	if got, _ := store.ListImportRows(ctx, db.R, im.ID, store.ImportRowFilter{}); len(got) != 0 {
		t.Fatalf("rows outlived their import: %d", len(got))
	}
}
