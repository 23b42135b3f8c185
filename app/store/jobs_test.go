package store_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/app/store/storetest"
)

func TestTryLease(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	steps := []struct {
		what          string
		holder        string
		now, until    int64
		want          bool
		release       bool // ReleaseLease instead of TryLease
		releaseHolder string
	}{
		{what: "free lease", holder: "a", now: 100, until: 200, want: true},
		{what: "held by another", holder: "b", now: 150, until: 250, want: false},
		{what: "held by itself", holder: "a", now: 150, until: 250, want: false},
		{what: "expired exactly now", holder: "b", now: 200, until: 300, want: true},
		{what: "release by a non-holder", release: true, releaseHolder: "a", now: 210},
		{what: "still held by b", holder: "a", now: 220, until: 320, want: false},
		{what: "release by the holder", release: true, releaseHolder: "b", now: 230},
		{what: "free after release", holder: "a", now: 230, until: 330, want: true},
	}
	for _, s := range steps {
		if s.release {
			if err := db.ReleaseLease(ctx, "expire", s.releaseHolder, s.now); err != nil {
				t.Fatalf("%s: %v", s.what, err)
			}
			continue
		}
		got, err := db.TryLease(ctx, "expire", s.holder, s.now, s.until)
		if err != nil || got != s.want {
			t.Fatalf("%s: TryLease = %v, %v; want %v", s.what, got, err, s.want)
		}
	}
	var holder string
	var until int64
	if err := db.R.QueryRowContext(ctx, `SELECT holder, expires_at FROM job_leases WHERE name = 'expire'`).Scan(&holder, &until); err != nil {
		t.Fatal(err)
	}
	if holder != "a" || until != 330 {
		t.Fatalf("lease row = %s until %d", holder, until)
	}
	// Leases of other names are independent.
	if ok, err := db.TryLease(ctx, "purge", "b", 230, 330); !ok || err != nil {
		t.Fatalf("another name: %v, %v", ok, err)
	}
}

// Two handles on one file stand for two processes: of many racing for an expired lease,
// exactly one wins, every round.
func TestTryLeaseOneWinnerAcrossHandles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := storetest.Path(t)
	var dbs [2]*store.DB
	for k := range dbs {
		db, err := store.Open(ctx, path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(db.Close)
		dbs[k] = db
	}
	for round := range int64(10) {
		now := 1000 * (round + 1)
		var wins atomic.Int32
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Go(func() {
				ok, err := dbs[g%2].TryLease(ctx, "remind", fmt.Sprintf("h%d", g), now, now+999)
				if err != nil {
					t.Error(err)
				}
				if ok {
					wins.Add(1)
				}
			})
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("round %d: %d winners", round, wins.Load())
		}
	}
}

func TestJobRuns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	if last, err := db.LastJobRuns(ctx); err != nil || len(last) != 0 {
		t.Fatalf("empty database: %v, %v", last, err)
	}
	runs := []store.JobRun{
		{Name: "expire", Holder: "a", StartedAt: 100, DurationMs: 5, Result: "ok"},
		{Name: "expire", Holder: "b", StartedAt: 300, DurationMs: 7, Result: "error", Error: "database is locked"},
		{Name: "expire", Holder: "a", StartedAt: 200, DurationMs: 6, Result: "ok"},
		{Name: "purge", Holder: "a", StartedAt: 50, DurationMs: 1, Result: "ok"},
	}
	for _, r := range runs {
		r.ID = store.NewID()
		if err := db.RecordJobRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	last, err := db.LastJobRuns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(last) != 2 || last["expire"].StartedAt != 300 || last["expire"].Holder != "b" ||
		last["expire"].Error != "database is locked" || last["expire"].DurationMs != 7 || last["purge"].StartedAt != 50 {
		t.Fatalf("last runs = %+v", last)
	}
	list, err := db.ListJobRuns(ctx, "expire", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].StartedAt != 300 || list[1].StartedAt != 200 {
		t.Fatalf("expire runs = %+v", list)
	}
	if all, err := db.ListJobRuns(ctx, "", 0); err != nil || len(all) != 4 || all[3].Name != "purge" {
		t.Fatalf("all runs = %+v, %v", all, err)
	}
	n, err := db.PurgeJobRuns(ctx, 200)
	if err != nil || n != 2 {
		t.Fatalf("purged %d, %v; want 2", n, err)
	}
	if all, err := db.ListJobRuns(ctx, "", 10); err != nil || len(all) != 2 || all[1].StartedAt != 200 {
		t.Fatalf("after purge = %+v, %v", all, err)
	}
}
