package jobs

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/lobby/lobby/app/metrics"
	"github.com/lobby/lobby/app/store"
)

// Options tune a Scheduler. Every field may be left zero.
type Options struct {
	// Holder names this process in leases and job runs; a random id when empty.
	Holder string
	// Now is the clock for leases and recorded start times; time.Now when nil. Schedules
	// always follow the real clock.
	Now func() time.Time
	// Logger receives a line per run; slog.Default when nil.
	Logger *slog.Logger
	// Metrics counts runs by job and result (ok, error, skipped); nil counts nothing.
	Metrics *metrics.Metrics
}

// Func is a job's body. It returns a short summary of what it did ("expired 3 invitations")
// and should stop early when ctx ends.
type Func func(ctx context.Context) (summary string, err error)

// Scheduler runs named jobs on cron schedules. Create it with New, Register the jobs, then
// Start it; Stop ends it. RunNow works whether or not it was started.
type Scheduler struct {
	db      *store.DB
	holder  string
	now     func() time.Time
	log     *slog.Logger
	metrics *metrics.Metrics
	cron    *cron.Cron

	mu      sync.Mutex
	jobs    map[string]*job
	started bool
	stopped bool
	runs    sync.WaitGroup
	// stopCtx ends when Stop is called; every running job's context ends with it.
	stopCtx context.Context
	stop    context.CancelFunc
	runCtx  context.Context
}

type job struct {
	name, spec, description string
	sched                   *tickSchedule
	fn                      Func
	entry                   cron.EntryID
}

// New makes a Scheduler over db.
func New(db *store.DB, opts Options) *Scheduler {
	s := &Scheduler{db: db, holder: opts.Holder, now: opts.Now, log: opts.Logger, metrics: opts.Metrics,
		jobs: map[string]*job{}}
	if s.holder == "" {
		s.holder = randomHolder()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	// Schedules are read in UTC, as every time Lobby shows is: "@daily" is midnight UTC
	// whatever the server's own zone.
	s.cron = cron.New(cron.WithLogger(cronLogger{s.log}), cron.WithLocation(time.UTC))
	s.stopCtx, s.stop = context.WithCancel(context.Background())
	s.runCtx = s.stopCtx
	return s
}

// Holder is the name this process uses in leases and job runs.
func (s *Scheduler) Holder() string { return s.holder }

var jobName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// Register adds the job called name, run on spec: a five-field cron expression
// ("*/5 * * * *") or a descriptor ("@every 10m", "@hourly"). A bad spec is an error naming the
// job and the spec. Jobs registered after Start are scheduled at once.
func (s *Scheduler) Register(name, spec, description string, fn func(ctx context.Context) (summary string, err error)) error {
	if !jobName.MatchString(name) {
		return fmt.Errorf("job name %q: use lower-case letters, digits, - and _", name)
	}
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return fmt.Errorf("job %q: cannot use the schedule %q: %w", name, spec, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.jobs[name]; dup {
		return fmt.Errorf("job %q is registered twice", name)
	}
	j := &job{name: name, spec: spec, description: description, sched: &tickSchedule{Schedule: sched}, fn: fn}
	j.entry = s.cron.Schedule(j.sched, cronJob(func() { s.runScheduled(j) }))
	s.jobs[name] = j
	return nil
}

// Start begins running the jobs on their schedules, until Stop is called or ctx ends. The
// jobs' contexts end with ctx too. Starting twice does nothing.
func (s *Scheduler) Start(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started || s.stopped {
		return
	}
	s.started = true
	// The merged context ends when Stop cancels stopCtx, which releases it.
	s.runCtx, _ = mergeCancel(ctx, s.stopCtx)
	context.AfterFunc(s.runCtx, func() { s.cron.Stop() })
	s.cron.Start()
	s.log.Info("Jobs started.", "holder", s.holder, "jobs", len(s.jobs))
}

// Stop stops scheduling, cancels the context of every running job (scheduled or RunNow) and
// waits for them to return, or for ctx to end, whichever comes first; then it returns
// ctx's error. A stopped Scheduler does not start again.
func (s *Scheduler) Stop(ctx context.Context) error {
	s.mu.Lock()
	s.stopped = true
	s.mu.Unlock()
	s.stop()
	// cron's Stop would also wait for the runs it launched, but without a deadline: the runs
	// are tracked by s.runs instead.
	s.cron.Stop()
	done := make(chan struct{})
	go func() { s.runs.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("jobs still running when the stop deadline came: %w", ctx.Err())
	}
}

// enter counts a run in, unless the Scheduler has stopped, and returns the context of
// scheduled runs.
func (s *Scheduler) enter() (context.Context, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return nil, false
	}
	s.runs.Add(1)
	return s.runCtx, true
}

// Info describes one registered job.
type Info struct {
	Name, Spec, Description string
	// Next is when the job runs next here; zero when the Scheduler is not running.
	Next time.Time
	// LastRun is the newest recorded run by any process sharing the database; nil if none.
	LastRun *store.JobRun
}

// Jobs lists the registered jobs by name with their next and last runs. If the database
// cannot be read, the last runs are missing and the problem is logged.
func (s *Scheduler) Jobs() []Info {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	last, err := s.db.LastJobRuns(ctx)
	if err != nil {
		s.log.Warn("Could not read the last job runs.", "err", err)
	}
	s.mu.Lock()
	running := s.started && !s.stopped
	out := make([]Info, 0, len(s.jobs))
	for _, j := range s.jobs {
		in := Info{Name: j.name, Spec: j.spec, Description: j.description}
		if running {
			in.Next = s.cron.Entry(j.entry).Next
		}
		if r, ok := last[j.name]; ok {
			in.LastRun = &r
		}
		out = append(out, in)
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b Info) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// names lists the registered job names, sorted.
func (s *Scheduler) names() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.jobs))
	for n := range s.jobs {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

func randomHolder() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	host, _ := os.Hostname()
	if host == "" {
		host = "lobby"
	}
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
}

// cronLogger sends robfig/cron's own messages ("wake", "run", "schedule": single words) to
// slog at debug level, errors as errors, under a sentence of ours with the word as cron_event.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) {
	l.log.Debug("The cron scheduler reported an event.", append([]any{"cron_event", msg}, kv...)...)
}

func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("The cron scheduler reported an error.", append([]any{"cron_event", msg, "err", err}, kv...)...)
}

var errStopped = errors.New("the job scheduler has stopped")
