package jobs

import (
	"context"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// tickSchedule remembers the last times it handed to cron, so a run can learn which tick it
// is for: cron calls Job.Run without saying.
type tickSchedule struct {
	cron.Schedule
	mu    sync.Mutex
	ticks []time.Time
}

// Next is the wrapped schedule's Next, remembered.
func (t *tickSchedule) Next(now time.Time) time.Time {
	n := t.Schedule.Next(now)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.ticks = append(t.ticks, n)
	if len(t.ticks) > 4 {
		t.ticks = t.ticks[len(t.ticks)-4:]
	}
	return n
}

// tick returns the latest tick handed out that is not after now: the one cron is running.
func (t *tickSchedule) tick(now time.Time) time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	var best time.Time
	for _, n := range t.ticks {
		if !n.After(now) && n.After(best) {
			best = n
		}
	}
	if best.IsZero() {
		return now
	}
	return best
}

// period is the time from tick to the tick after it.
func (t *tickSchedule) period(tick time.Time) time.Duration {
	return t.Schedule.Next(tick).Sub(tick)
}

// cronJob adapts a function to cron.Job.
type cronJob func()

func (f cronJob) Run() { f() }

// mergeCancel returns a context cancelled when parent ends or when also ends.
func mergeCancel(parent, also context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	stop := context.AfterFunc(also, cancel)
	return ctx, func() { stop(); cancel() }
}
