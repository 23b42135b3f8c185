package jobs

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/lobby/lobby/app/store"
)

// JobRun is one run of a job, as recorded in job_runs with its summary.
type JobRun struct {
	store.JobRun
}

// runLease is how long the "<name>:run" lease is taken for; a process that dies mid-run
// blocks the job for at most this long.
const runLease = 10 * time.Minute

func runLeaseName(name string) string { return name + ":run" }

// runScheduled is what cron calls on each tick of j.
func (s *Scheduler) runScheduled(j *job) {
	ctx, ok := s.enter()
	if !ok {
		return
	}
	defer s.runs.Done()
	realNow := time.Now()
	tick := j.sched.tick(realNow)
	period := j.sched.period(tick)
	now := s.now()
	// The tick's lease runs to 90% of the way to the next tick, translated to the Now clock.
	until := now.Add(tick.Add(period * 9 / 10).Sub(realNow))
	if !s.lease(ctx, j.name, j.name, now, until, "another process has this tick") ||
		!s.lease(ctx, j.name, runLeaseName(j.name), now, now.Add(runLease), "the job is still running, here or in another process") {
		return
	}
	defer s.release(ctx, j.name)
	_, _ = s.execute(ctx, j)
}

// lease takes the lease called name for a scheduled run of job, reporting whether it got it.
// Not getting it counts the tick as skipped, for the reason given.
func (s *Scheduler) lease(ctx context.Context, job, name string, now, until time.Time, reason string) bool {
	got, err := s.db.TryLease(ctx, name, s.holder, now.UnixMilli(), until.UnixMilli())
	switch {
	case err != nil && ctx.Err() != nil:
		return false // stopping
	case err != nil:
		s.log.Error("Could not take a job lease; the tick is not run.", "job", job, "lease", name, "err", err)
		s.count(job, "error")
		return false
	case !got:
		s.skip(job, reason)
	}
	return got
}

// RunNow runs the job called name at once and waits for it, whether or not the Scheduler is
// started, and records the run like a scheduled one. It fails without running when the job is
// running already, here or in another process. When the job itself fails, the recorded run is
// returned together with the job's error. Stop cancels its context too.
func (s *Scheduler) RunNow(ctx context.Context, name string) (JobRun, error) {
	s.mu.Lock()
	j, ok := s.jobs[name]
	s.mu.Unlock()
	if !ok {
		return JobRun{}, fmt.Errorf("there is no job called %q; the jobs are: %s", name, strings.Join(s.names(), ", "))
	}
	if _, ok := s.enter(); !ok {
		return JobRun{}, errStopped
	}
	defer s.runs.Done()
	ctx, cancel := mergeCancel(ctx, s.stopCtx)
	defer cancel()
	now := s.now()
	got, err := s.db.TryLease(ctx, runLeaseName(name), s.holder, now.UnixMilli(), now.Add(runLease).UnixMilli())
	if err != nil {
		return JobRun{}, fmt.Errorf("job %q: cannot take its lease: %w", name, err)
	}
	if !got {
		// A process that died mid-run holds the lease until it ends: say when that is.
		msg := fmt.Sprintf("job %q is running already, in this or another Lobby process; try again when it has finished", name)
		if until, err := s.db.LeaseEnds(ctx, runLeaseName(name)); err == nil && until > now.UnixMilli() {
			free := time.UnixMilli(until).UTC().Add(time.Minute - time.Nanosecond).Truncate(time.Minute) // rounded up
			msg += fmt.Sprintf(" (if a Lobby process stopped during a run, it is free from %s)", free.Format("15:04 UTC"))
		}
		return JobRun{}, errors.New(msg)
	}
	defer s.release(ctx, name)
	return s.execute(ctx, j)
}

// release ends this process's run lease of the job called name.
func (s *Scheduler) release(ctx context.Context, name string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := s.db.ReleaseLease(ctx, runLeaseName(name), s.holder, s.now().UnixMilli()); err != nil {
		s.log.Warn("Could not release a job lease; it expires by itself.", "job", name, "err", err)
	}
}

// execute runs j's body, recovering a panic, then records and counts the run.
func (s *Scheduler) execute(ctx context.Context, j *job) (JobRun, error) {
	started := s.now()
	t0 := time.Now()
	summary, err := s.call(ctx, j)
	run := JobRun{JobRun: store.JobRun{
		Summary: summary, ID: store.NewID(), Name: j.name, Holder: s.holder, StartedAt: started.UnixMilli(),
		DurationMs: time.Since(t0).Milliseconds(), Result: "ok",
	}}
	if err != nil {
		run.Result, run.Error = "error", err.Error()
	}
	s.count(j.name, run.Result)
	// A cancelled job is still recorded.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if rerr := s.db.RecordJobRun(rctx, run.JobRun); rerr != nil {
		s.log.Error("Could not record a job run.", "job", j.name, "err", rerr)
	}
	if err != nil {
		s.log.Error("Job failed.", "job", j.name, "duration_ms", run.DurationMs, "summary", summary, "err", err)
		return run, fmt.Errorf("job %q failed: %w", j.name, err)
	}
	s.log.Info("Job finished.", "job", j.name, "duration_ms", run.DurationMs, "summary", summary)
	return run, nil
}

// call runs j's body, turning a panic into an error; the stack goes to the log.
func (s *Scheduler) call(ctx context.Context, j *job) (summary string, err error) {
	defer func() {
		if p := recover(); p != nil {
			summary, err = "", fmt.Errorf("panic: %v", p)
			s.log.Error("Job panicked.", "job", j.name, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		}
	}()
	return j.fn(ctx)
}

func (s *Scheduler) skip(name, why string) {
	s.log.Debug("Job tick skipped.", "job", name, "reason", why)
	s.count(name, "skipped")
}

func (s *Scheduler) count(name, result string) {
	if s.metrics != nil {
		s.metrics.JobRuns.WithLabelValues(name, result).Inc()
	}
}
