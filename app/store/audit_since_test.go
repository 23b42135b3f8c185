package store

import (
	"context"
	"fmt"
	"testing"
)

// The audit log's date filter keeps exactly the entries made since the date, also when the id
// bound it uses to walk less of the index is close by: entries just before, at and after it,
// an hour and days apart.
func TestListAuditSinceKeepsExactlyTheEntriesSince(t *testing.T) {
	ctx := context.Background()
	db := planDB(t)
	const day = int64(24 * 60 * 60 * 1000)
	since := int64(1_780_000_000_000)
	var entries []AuditEntry
	entry := func(i int, at, idAt int64) {
		// As NewID makes them: the id begins with the time of the clock that made it.
		id := fmt.Sprintf("%08x-%04x-7000-8000-%012x", uint64(idAt)>>16, uint64(idAt)&0xffff, i)
		entries = append(entries, AuditEntry{ID: id, OrgID: "o", ActorKind: "cli", Action: "team.created", TargetID: fmt.Sprint(at - since), CreatedAt: at})
	}
	for i, at := range []int64{since - 3*day, since - day, since - 1, since, since + day, since + 30*day} {
		entry(i, at, at+1)
	}
	// Made since the date, by a process whose id clock ran an hour behind its created_at.
	entry(9, since+1, since-60*60*1000)
	if _, err := db.W.ExecContext(ctx, `INSERT INTO organizations (id, slug, name, invite_ttl_ms, created_at) VALUES ('o', 'o', 'O', 1, 1)`); err != nil {
		t.Fatal(err)
	}
	if err := db.Tx(ctx, func(q Q) error { return InsertAudit(ctx, q, entries...) }); err != nil {
		t.Fatal(err)
	}
	got, err := ListAudit(ctx, db.R, "o", AuditFilter{Since: since})
	if err != nil {
		t.Fatal(err)
	}
	var offsets []string
	for _, e := range got {
		offsets = append(offsets, e.TargetID)
	}
	if want := fmt.Sprint([]string{fmt.Sprint(30 * day), fmt.Sprint(day), "0", "1"}); fmt.Sprint(offsets) != want {
		t.Fatalf("since the date: %v, want %v", offsets, want)
	}
	// A date before 1970 keeps every entry (the id bound must not wrap around).
	if all, err := ListAudit(ctx, db.R, "o", AuditFilter{Since: 1}); err != nil || len(all) != len(entries) {
		t.Fatalf("since 1970: %d of %d entries, %v", len(all), len(entries), err)
	}
}
