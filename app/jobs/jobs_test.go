package jobs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/lobby/lobby/app/jobs"
	"github.com/lobby/lobby/app/metrics"
	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/app/store/storetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// open returns n handles on one fresh migrated database file, standing for n processes.
func open(t *testing.T, n int) []*store.DB {
	t.Helper()
	path := storetest.Path(t)
	out := make([]*store.DB, n)
	for k := range out {
		db, err := store.Open(context.Background(), path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(db.Close)
		out[k] = db
	}
	return out
}

// newScheduler makes a Scheduler with its own metrics that is stopped when the test ends.
func newScheduler(t *testing.T, db *store.DB, holder string) (*jobs.Scheduler, *metrics.Metrics) {
	t.Helper()
	m := metrics.New()
	s := jobs.New(db, jobs.Options{Holder: holder, Logger: quiet, Metrics: m})
	t.Cleanup(func() { _ = s.Stop(context.Background()) })
	return s, m
}

func count(t *testing.T, m *metrics.Metrics, job, result string) int {
	t.Helper()
	var out dto.Metric
	if err := m.JobRuns.WithLabelValues(job, result).Write(&out); err != nil {
		t.Fatal(err)
	}
	return int(out.GetCounter().GetValue())
}

func runs(t *testing.T, db *store.DB, name string) []store.JobRun {
	t.Helper()
	list, err := db.ListJobRuns(context.Background(), name, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// Two processes sharing one database run each tick once between them, never twice.
func TestTwoSchedulersRunEachTickOnce(t *testing.T) {
	t.Parallel()
	dbs := open(t, 2)
	var mu sync.Mutex
	var starts []time.Time
	var sched [2]*jobs.Scheduler
	var ms [2]*metrics.Metrics
	for k, holder := range []string{"a", "b"} {
		sched[k], ms[k] = newScheduler(t, dbs[k], holder)
		err := sched[k].Register("tick", "@every 1s", "counts ticks", func(ctx context.Context) (string, error) {
			mu.Lock()
			starts = append(starts, time.Now())
			mu.Unlock()
			return "counted", nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range sched {
		s.Start(context.Background())
	}
	time.Sleep(3500 * time.Millisecond)
	for _, s := range sched {
		if err := s.Stop(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	// Both schedulers tick every second; between them the job must run at most once per
	// tick. On a loaded machine ticks may be late or missed, so count an upper bound and
	// the spacing instead of an exact number.
	total := len(starts)
	if total == 0 || total > 4 {
		t.Fatalf("%d runs in 3.5 s of 1 s ticks from two schedulers; want 1 to 4", total)
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i].Before(starts[j]) })
	for i := 1; i < total; i++ {
		if gap := starts[i].Sub(starts[i-1]); gap < 500*time.Millisecond {
			t.Errorf("two runs %v apart: one tick ran twice", gap)
		}
	}
	if got := len(runs(t, dbs[0], "tick")); got != total {
		t.Errorf("%d runs recorded, %d ran", got, total)
	}
	ran := count(t, ms[0], "tick", "ok") + count(t, ms[1], "tick", "ok")
	skipped := count(t, ms[0], "tick", "skipped") + count(t, ms[1], "tick", "skipped")
	if ran != total || skipped < total-1 {
		t.Errorf("metrics: %d ok and %d skipped, %d ran", ran, skipped, total)
	}
}

// Processes whose ticks fall at different moments still run the job once per period: a run's
// lease covers 90% of the way to its next tick, so the other process's ticks in between skip.
func TestSchedulersOutOfPhaseRunOncePerPeriod(t *testing.T) {
	t.Parallel()
	dbs := open(t, 2)
	var mu sync.Mutex
	var at []time.Time
	var by []string
	var sched [2]*jobs.Scheduler
	var ms [2]*metrics.Metrics
	for k, holder := range []string{"a", "b"} {
		sched[k], ms[k] = newScheduler(t, dbs[k], holder)
		err := sched[k].Register("tick", "@every 2s", "", func(ctx context.Context) (string, error) {
			mu.Lock()
			at, by = append(at, time.Now()), append(by, holder)
			mu.Unlock()
			return "", nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// "@every 2s" ticks 2 s after start, on a whole second. a starts 100 ms after a whole
	// second x and b 1 s later, so a ticks at x+2 and x+4 and b at x+3 and x+5, each inside
	// a's lease (90 % of the period), even if a busy machine wakes the test up to 0.8 s late.
	// Without the alignment, a start late in a second put b's ticks on a's, and b won one.
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second + 100*time.Millisecond)))
	sched[0].Start(context.Background())
	time.Sleep(time.Second)
	sched[1].Start(context.Background())
	time.Sleep(4*time.Second + 400*time.Millisecond) // stop after b's x+5 tick, before a's x+6
	for _, s := range sched {
		if err := s.Stop(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(at) < 2 {
		t.Fatalf("only %d runs in 5 s", len(at))
	}
	for k := 1; k < len(at); k++ {
		if gap := at[k].Sub(at[k-1]); gap < 1500*time.Millisecond {
			t.Errorf("runs %d (%s) and %d (%s) are only %v apart", k-1, by[k-1], k, by[k], gap)
		}
	}
	if skipped := count(t, ms[1], "tick", "skipped"); skipped < 2 || count(t, ms[1], "tick", "ok") != 0 {
		t.Errorf("b ran %d and skipped %d ticks; want every tick of b inside a's lease", count(t, ms[1], "tick", "ok"), skipped)
	}
}

func TestRunNowRecordsAndReleases(t *testing.T) {
	t.Parallel()
	dbs := open(t, 2)
	fixed := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	m := metrics.New()
	s := jobs.New(dbs[0], jobs.Options{Holder: "a", Logger: quiet, Metrics: m, Now: func() time.Time { return fixed }})
	calls := 0
	if err := s.Register("expire", "@every 1m", "Expires invitations.", func(ctx context.Context) (string, error) {
		calls++
		return "expired 3 invitations", nil
	}); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the lease is released, so a second run right after works
		run, err := s.RunNow(context.Background(), "expire")
		if err != nil {
			t.Fatal(err)
		}
		if run.Result != "ok" || run.Summary != "expired 3 invitations" || run.Holder != "a" || run.StartedAt != fixed.UnixMilli() || run.ID == "" {
			t.Fatalf("run = %+v", run)
		}
	}
	if calls != 2 || count(t, m, "expire", "ok") != 2 {
		t.Fatalf("%d calls, %d counted", calls, count(t, m, "expire", "ok"))
	}
	list := runs(t, dbs[1], "expire")
	if len(list) != 2 || list[0].Result != "ok" || list[0].StartedAt != fixed.UnixMilli() {
		t.Fatalf("recorded %+v", list)
	}
	// Another process sees the run as the job's last one.
	other, _ := newScheduler(t, dbs[1], "b")
	if err := other.Register("expire", "@every 1m", "Expires invitations.", func(context.Context) (string, error) { return "", nil }); err != nil {
		t.Fatal(err)
	}
	info := other.Jobs()
	if len(info) != 1 || info[0].Name != "expire" || info[0].Spec != "@every 1m" || info[0].Description != "Expires invitations." ||
		info[0].LastRun == nil || info[0].LastRun.Holder != "a" || !info[0].Next.IsZero() {
		t.Fatalf("Jobs() = %+v", info)
	}
	_, err := s.RunNow(context.Background(), "exprie")
	if err == nil || !strings.Contains(err.Error(), `no job called "exprie"; the jobs are: expire`) {
		t.Fatalf("unknown job: %v", err)
	}
}

func TestFailingJobRecordsError(t *testing.T) {
	t.Parallel()
	dbs := open(t, 1)
	s, m := newScheduler(t, dbs[0], "a")
	boom := errors.New("the mail server refused")
	if err := s.Register("remind", "@every 10m", "", func(context.Context) (string, error) { return "sent 1 of 2", boom }); err != nil {
		t.Fatal(err)
	}
	run, err := s.RunNow(context.Background(), "remind")
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), `job "remind" failed`) {
		t.Fatalf("err = %v", err)
	}
	if run.Result != "error" || run.Error != boom.Error() || run.Summary != "sent 1 of 2" {
		t.Fatalf("run = %+v", run)
	}
	list := runs(t, dbs[0], "remind")
	if len(list) != 1 || list[0].Result != "error" || list[0].Error != "the mail server refused" {
		t.Fatalf("recorded %+v", list)
	}
	if count(t, m, "remind", "error") != 1 || count(t, m, "remind", "ok") != 0 {
		t.Fatal("the failure was not counted as an error")
	}
}

// A job that panics on every tick is recorded as failed each time and the scheduler goes on.
func TestPanickingJobDoesNotKillScheduler(t *testing.T) {
	t.Parallel()
	dbs := open(t, 1)
	s, _ := newScheduler(t, dbs[0], "a")
	var n atomic.Int32
	if err := s.Register("purge", "@every 1s", "", func(context.Context) (string, error) {
		n.Add(1)
		panic("boom")
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RunNow(context.Background(), "purge"); err == nil || !strings.Contains(err.Error(), "panic: boom") {
		t.Fatalf("RunNow of a panicking job: %v", err)
	}
	s.Start(context.Background())
	deadline := time.Now().Add(5 * time.Second)
	for n.Load() < 3 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n.Load() < 3 {
		t.Fatalf("the job ran %d times; the scheduler stopped after a panic", n.Load())
	}
	list := runs(t, dbs[0], "purge")
	if len(list) != int(n.Load()) {
		t.Fatalf("%d runs recorded for %d panics", len(list), n.Load())
	}
	for _, r := range list {
		if r.Result != "error" || r.Error != "panic: boom" {
			t.Fatalf("recorded %+v", r)
		}
	}
}
