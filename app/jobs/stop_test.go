package jobs_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lobby/lobby/app/jobs"
)

// Stop cancels a running job's context and returns only once the job has returned.
func TestStopWaitsForRunningJobs(t *testing.T) {
	t.Parallel()
	dbs := open(t, 1)
	s, _ := newScheduler(t, dbs[0], "a")
	started := make(chan string, 4)
	var finished atomic.Int32
	body := func(name string) func(ctx context.Context) (string, error) {
		return func(ctx context.Context) (string, error) {
			started <- name
			<-ctx.Done()
			time.Sleep(200 * time.Millisecond) // winding down after the cancel
			finished.Add(1)
			return "stopped", ctx.Err()
		}
	}
	if err := s.Register("scheduled", "@every 1s", "", body("scheduled")); err != nil {
		t.Fatal(err)
	}
	if err := s.Register("manual", "@every 1h", "", body("manual")); err != nil {
		t.Fatal(err)
	}
	s.Start(context.Background())
	manual := make(chan error, 1)
	go func() { _, err := s.RunNow(context.Background(), "manual"); manual <- err }()
	for range 2 {
		select {
		case <-started:
		case <-time.After(3 * time.Second):
			t.Fatal("the jobs did not start")
		}
	}
	t0 := time.Now()
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if finished.Load() != 2 {
		t.Fatalf("Stop returned after %v with %d of 2 jobs finished", time.Since(t0), finished.Load())
	}
	if err := <-manual; !errors.Is(err, context.Canceled) {
		t.Fatalf("RunNow after Stop: %v", err)
	}
	for _, name := range []string{"scheduled", "manual"} {
		if list := runs(t, dbs[0], name); len(list) != 1 || list[0].Result != "error" {
			t.Errorf("%s: recorded %+v", name, list)
		}
	}
	if _, err := s.RunNow(context.Background(), "manual"); err == nil || !strings.Contains(err.Error(), "stopped") {
		t.Fatalf("RunNow on a stopped scheduler: %v", err)
	}
}

// Stop gives up when its context ends, even if a job ignores cancellation.
func TestStopHonoursItsContext(t *testing.T) {
	t.Parallel()
	dbs := open(t, 1)
	s := jobs.New(dbs[0], jobs.Options{Logger: quiet})
	release, started := make(chan struct{}), make(chan struct{})
	if err := s.Register("stuck", "@every 1h", "", func(context.Context) (string, error) {
		close(started)
		<-release
		return "", nil
	}); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); _, _ = s.RunNow(context.Background(), "stuck") }()
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	t0 := time.Now()
	err := s.Stop(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(t0) > time.Second {
		t.Fatalf("Stop = %v after %v", err, time.Since(t0))
	}
	close(release)
	<-done
}

// A job runs once at a time across processes: RunNow refuses while another process runs it.
func TestRunNowRefusesWhileRunningElsewhere(t *testing.T) {
	t.Parallel()
	dbs := open(t, 2)
	a, _ := newScheduler(t, dbs[0], "a")
	b, _ := newScheduler(t, dbs[1], "b")
	release, started := make(chan struct{}), make(chan struct{})
	for _, s := range []*jobs.Scheduler{a, b} {
		if err := s.Register("purge", "@every 1h", "", func(context.Context) (string, error) {
			close(started)
			<-release
			return "", nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan error, 1)
	go func() { _, err := a.RunNow(context.Background(), "purge"); done <- err }()
	<-started
	_, err := b.RunNow(context.Background(), "purge")
	if err == nil || !strings.Contains(err.Error(), `job "purge" is running already`) {
		t.Fatalf("second RunNow: %v", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if list := runs(t, dbs[0], "purge"); len(list) != 1 || list[0].Holder != "a" {
		t.Fatalf("recorded %+v", list)
	}
}

func TestRegisterRefusesBadInput(t *testing.T) {
	t.Parallel()
	dbs := open(t, 1)
	s, _ := newScheduler(t, dbs[0], "a")
	noop := func(context.Context) (string, error) { return "", nil }
	if err := s.Register("expire", "every minute", "", noop); err == nil ||
		!strings.Contains(err.Error(), `job "expire"`) || !strings.Contains(err.Error(), `"every minute"`) {
		t.Fatalf("bad spec: %v", err)
	}
	if err := s.Register("expire", "*/5 * * * *", "", noop); err != nil {
		t.Fatal(err)
	}
	if err := s.Register("expire", "@hourly", "", noop); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Fatalf("duplicate: %v", err)
	}
	if err := s.Register("Bad Name", "@hourly", "", noop); err == nil {
		t.Fatal("a name with spaces was accepted")
	}
	s.Start(context.Background())
	info := s.Jobs()
	if len(info) != 1 || info[0].Next.Before(time.Now()) || info[0].Next.After(time.Now().Add(5*time.Minute)) || info[0].LastRun != nil {
		t.Fatalf("Jobs() = %+v", info)
	}
}

// A process killed during a run keeps the job's lease until it ends; RunNow says when that is,
// so that whoever runs the job by hand is not left guessing.
func TestRunNowSaysWhenALeaseLeftByADeadProcessEnds(t *testing.T) {
	t.Parallel()
	dbs := open(t, 1)
	s, _ := newScheduler(t, dbs[0], "a")
	if err := s.Register("purge", "@every 1h", "", func(context.Context) (string, error) { return "", nil }); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	until := now.Truncate(time.Minute).Add(7*time.Minute + 30*time.Second)
	if got, err := dbs[0].TryLease(context.Background(), "purge:run", "killed", now.UnixMilli(), until.UnixMilli()); err != nil || !got {
		t.Fatalf("the dead process's lease: %v %v", got, err)
	}
	_, err := s.RunNow(context.Background(), "purge")
	// 7.5 minutes on is said as the minute after, so that trying again at that time works.
	free := now.Truncate(time.Minute).Add(8 * time.Minute).UTC()
	want := "if a Lobby process stopped during a run, it is free from " + free.Format("15:04 UTC")
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("RunNow: %v\nwant it to say: %s", err, want)
	}
}
