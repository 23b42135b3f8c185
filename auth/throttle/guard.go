package throttle

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// maxBlocked bounds the keys a Guard keeps in memory. Each one took limit failures to get
// there; past the bound, expired keys are dropped first, then the one whose block ends soonest.
const maxBlocked = 100_000

// Guard keeps a key out for a while once its failures go over a limit. The failures are
// counted in the database like every limit, so Lobby processes on one database share them;
// the keys over the limit are also kept in memory, so asking whether a key is blocked costs
// no query on the hot path of every API and SCIM request. A process learns that a key is
// over the limit at that key's next failure with it.
type Guard struct {
	l      *Limiter
	limit  int
	window time.Duration

	mu    sync.RWMutex
	until map[string]time.Time
	max   int          // maxBlocked, smaller in tests
	count atomic.Int64 // len(until), read without the lock
}

// Guard returns a Guard that blocks a key for window once it failed more than limit times
// in one window.
func (l *Limiter) Guard(limit int, window time.Duration) *Guard {
	return &Guard{l: l, limit: limit, window: window, until: map[string]time.Time{}, max: maxBlocked}
}

// Any reports whether any key is kept in memory as blocked (some may have ended since): when
// none is, Blocked need not be asked.
func (g *Guard) Any() bool {
	return g.count.Load() > 0
}

// Blocked reports whether key is kept out, and until when.
func (g *Guard) Blocked(key string) (time.Time, bool) {
	if g.l.Off {
		return time.Time{}, false
	}
	g.mu.RLock()
	until, ok := g.until[key]
	g.mu.RUnlock()
	if !ok || !g.l.now().Before(until) {
		return time.Time{}, false
	}
	return until, true
}

// Fail counts one failure of key; when it takes the key over the limit, the key is blocked
// for one window from now and Fail reports until when.
func (g *Guard) Fail(ctx context.Context, key string) (time.Time, bool, error) {
	over, err := g.l.Hit(ctx, key, g.limit, g.window)
	if err != nil || !over {
		return time.Time{}, false, err
	}
	now := g.l.now()
	until := now.Add(g.window)
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.until) >= g.max {
		soonest, at := "", until.Add(time.Nanosecond)
		for k, u := range g.until {
			if !now.Before(u) {
				delete(g.until, k)
			} else if u.Before(at) {
				soonest, at = k, u
			}
		}
		if len(g.until) >= g.max {
			delete(g.until, soonest) // the block closest to its end makes room
		}
	}
	g.until[key] = until
	g.count.Store(int64(len(g.until)))
	return until, true, nil
}
