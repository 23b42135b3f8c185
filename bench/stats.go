package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// latencies is a set of measured durations.
type latencies []time.Duration

// pct returns the p-th percentile (0 < p ≤ 100) by nearest rank, or 0 for an empty set.
func (l latencies) pct(p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	slices.Sort(s)
	k := int(float64(len(s))*p/100+0.999999) - 1
	return s[min(max(k, 0), len(s)-1)]
}

// max returns the largest duration, or 0 for an empty set.
func (l latencies) max() time.Duration {
	if len(l) == 0 {
		return 0
	}
	return slices.Max(l)
}

// run is what hammer measured: calls that succeeded, calls that failed, the first failure,
// the wall time and every successful call's latency.
type run struct {
	OK, Failed int
	Err        error
	Elapsed    time.Duration
	Lat        latencies
}

// perSec is successful calls times per per second of wall time.
func (r run) perSec(per int) float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.OK*per) / r.Elapsed.Seconds()
}

// hammer calls fn from workers goroutines until count calls have started or limit has passed,
// whichever comes first, and records each call's latency. fn gets the call's index. A call
// started before the limit runs to its end, so even on a machine too busy to finish one call
// within the limit each worker completes at least one.
func hammer(ctx context.Context, workers, count int, limit time.Duration, fn func(ctx context.Context, i int) error) run {
	return drive(ctx, workers, count, limit, 0, fn)
}

// paced is hammer with the calls spread evenly in time: rate calls per second in all, each
// worker on a fixed schedule, as many independent users would send them, instead of each
// worker calling again the moment its answer came. A call that is late because the one before
// it ran past its time is timed from when it was due, so a stall that holds up the calls behind
// it counts against each of them (no coordinated omission); a call the worker slept for is
// timed from when the worker woke.
func paced(ctx context.Context, workers, count int, limit time.Duration, rate float64, fn func(ctx context.Context, i int) error) run {
	return drive(ctx, workers, count, limit, time.Duration(float64(workers)/rate*float64(time.Second)), fn)
}

// drive runs hammer (every 0) or paced (each worker due every every).
func drive(ctx context.Context, workers, count int, limit, every time.Duration, fn func(ctx context.Context, i int) error) run {
	deadline := time.Now().Add(limit)
	var next atomic.Int64
	var mu sync.Mutex
	var out run
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat latencies
			ok, failed := 0, 0
			var first error
			due := start.Add(every * time.Duration(w) / time.Duration(workers))
			for ctx.Err() == nil && time.Now().Before(deadline) {
				i := int(next.Add(1)) - 1
				if i >= count {
					break
				}
				t0 := time.Now()
				if every > 0 {
					if wait := due.Sub(t0); wait > 0 {
						if !sleep(ctx, min(wait, time.Until(deadline))) || !time.Now().Before(deadline) {
							break
						}
						t0 = time.Now() // the client's own wake-up, however late, is not the server's time
					} else {
						t0 = due // late because the last call ran long: that counts
					}
					due = due.Add(every)
				}
				err := fn(ctx, i)
				d := time.Since(t0)
				switch {
				case err == nil:
					ok++
					lat = append(lat, d)
				case ctx.Err() != nil:
					// The bench was stopped in the middle of this call; it is not a failure of Lobby.
				default:
					failed++
					if first == nil {
						first = err
					}
				}
			}
			mu.Lock()
			out.OK, out.Failed = out.OK+ok, out.Failed+failed
			out.Lat = append(out.Lat, lat...)
			if out.Err == nil {
				out.Err = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	out.Elapsed = time.Since(start)
	return out
}

// sleep waits for d or until ctx ends, and says whether it waited the whole time.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// msf formats a duration as milliseconds with two decimals.
func msf(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

// usf formats a duration in microseconds with one decimal, for parts far below a millisecond.
func usf(d time.Duration) string { return fmt.Sprintf("%.1f µs", float64(d.Nanoseconds())/1000) }

// num formats a number with thousands separators and no decimals.
func num(f float64) string {
	n := int64(f + 0.5)
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	var b []byte
	for i, c := range []byte(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, c)
	}
	return string(b)
}

// ratio formats a/b as "x.xx×", or "n/a" when b is zero.
func ratio(a, b float64) string {
	if b == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

var progressStart = time.Now()

// progress tells the person running the benchmarks what is happening, on standard error.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[%6.1fs] %s\n", time.Since(progressStart).Seconds(), fmt.Sprintf(format, args...))
}

// failure describes a run's failures for the report, or "" when there were none.
func failure(r run) string {
	if r.Failed == 0 {
		return ""
	}
	return fmt.Sprintf("%d calls failed; the first: %v", r.Failed, r.Err)
}

// sched is CPU time of this process: on a CPU (getrusage, which keeps the time of threads
// that ended), and runnable but waiting for one (the sum over the threads alive now, from
// /proc/self/task/*/schedstat). The second grows when other work on the machine takes the
// cores, which tells a slow number caused by the machine from one caused by Lobby.
type sched struct{ OnCPU, Waiting time.Duration }

func readSched() sched {
	var s sched
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		s.OnCPU = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	paths, _ := filepath.Glob("/proc/self/task/*/schedstat")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		f := strings.Fields(string(b))
		if len(f) < 2 {
			continue
		}
		wait, _ := strconv.ParseInt(f[1], 10, 64)
		s.Waiting += time.Duration(wait)
	}
	return s
}

// since describes the CPU use between s and now over a wall time.
func (s sched) since(wall time.Duration) string {
	n := readSched()
	on, wait := n.OnCPU-s.OnCPU, max(n.Waiting-s.Waiting, 0) // a thread that ended takes its waits along
	if on <= 0 || wall <= 0 {
		return "unknown"
	}
	return fmt.Sprintf("%s on a CPU in %s (%.0f%% of one core), %s runnable but waiting for a core",
		short(on), short(wall), 100*on.Seconds()/wall.Seconds(), short(wait))
}

// short formats a duration as whole milliseconds below a second (with two decimals below 10 ms,
// so that a short run's CPU time is not shown as 0), else seconds with one decimal.
func short(d time.Duration) string {
	if d < 10*time.Millisecond {
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	}
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}
