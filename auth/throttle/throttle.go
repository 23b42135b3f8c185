// Package throttle counts attempts per key (an IP, an address, an organization) in fixed
// windows kept in the database, so several Lobby processes share one set of limits.
package throttle

import (
	"context"
	"errors"
	"time"

	"github.com/lobby/lobby/app/store"
)

// Limiter counts attempts.
type Limiter struct {
	db  *store.DB
	now func() time.Time
	// Off turns every limit off (benchmarks).
	Off bool
}

// New returns a Limiter over db.
func New(db *store.DB, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{db: db, now: now}
}

// Over reports whether key already reached limit in the current window, without counting.
func (l *Limiter) Over(ctx context.Context, key string, limit int, window time.Duration) (bool, error) {
	if l.Off {
		return false, nil
	}
	n, err := store.HitCount(ctx, l.db.R, key, l.now().UnixMilli(), window.Milliseconds())
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return n >= limit, err
}

// Hit counts one attempt and reports whether the key is now over limit.
func (l *Limiter) Hit(ctx context.Context, key string, limit int, window time.Duration) (over bool, err error) {
	if l.Off {
		return false, nil
	}
	var n int
	err = l.db.Tx(ctx, func(q store.Q) error {
		n, err = store.Hit(ctx, q, key, l.now().UnixMilli(), window.Milliseconds())
		return err
	})
	return n > limit, err
}

// Undo takes back one attempt of key, for an attempt that was counted before it was known
// to fail (counting first keeps parallel attempts from all passing the check at once).
func (l *Limiter) Undo(ctx context.Context, key string) error {
	if l.Off {
		return nil
	}
	return l.db.Tx(ctx, func(q store.Q) error { return store.UnHit(ctx, q, key) })
}

// Clear forgets a key, e.g. an address after a successful sign-in.
func (l *Limiter) Clear(ctx context.Context, key string) error {
	return l.db.Tx(ctx, func(q store.Q) error { return store.ClearHits(ctx, q, key) })
}

// Purge deletes windows older than a day; the purge job calls it.
func (l *Limiter) Purge(ctx context.Context, now int64) (int64, error) {
	var n int64
	err := l.db.Tx(ctx, func(q store.Q) error {
		var err error
		n, err = store.PurgeHits(ctx, q, now-24*3600*1000)
		return err
	})
	return n, err
}
