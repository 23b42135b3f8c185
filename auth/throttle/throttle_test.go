package throttle_test

import (
	"context"
	"testing"
	"time"

	"github.com/lobby/lobby/app/store/storetest"
	"github.com/lobby/lobby/auth/throttle"
)

// A key goes over its limit on the attempt after the limit, stays over for the rest of its
// window, starts again in the next window, and is forgotten by Clear; other keys and a second
// Limiter on the same database (another process) see the same counts.
func TestLimiterCountsPerKeyAndWindow(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	clock := storetest.NewClock(time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC))
	l, other := throttle.New(db, clock.Now), throttle.New(db, clock.Now)
	const limit, window = 3, 10 * time.Minute
	hit := func(l *throttle.Limiter, key string) bool {
		t.Helper()
		over, err := l.Hit(ctx, key, limit, window)
		if err != nil {
			t.Fatal(err)
		}
		return over
	}
	over := func(key string) bool {
		t.Helper()
		o, err := other.Over(ctx, key, limit, window)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	if over("ip:192.0.2.1") {
		t.Fatal("a key never seen is over its limit")
	}
	for i := 1; i <= limit; i++ {
		if hit(l, "ip:192.0.2.1") {
			t.Fatalf("attempt %d of %d is over the limit", i, limit)
		}
	}
	if !over("ip:192.0.2.1") || !hit(other, "ip:192.0.2.1") {
		t.Fatal("the limit is not reached after as many attempts as it allows, or not seen by another limiter")
	}
	if over("ip:192.0.2.2") {
		t.Fatal("another key shares the count")
	}
	clock.Add(window)
	if over("ip:192.0.2.1") || hit(l, "ip:192.0.2.1") {
		t.Fatal("the next window still counts the last one's attempts")
	}
	for range limit {
		hit(l, "email:ann@example.com")
	}
	if err := l.Clear(ctx, "email:ann@example.com"); err != nil {
		t.Fatal(err)
	}
	if over("email:ann@example.com") {
		t.Fatal("Clear did not forget the key")
	}
	// Undo takes back one attempt, and only one.
	for range limit {
		hit(l, "ip:192.0.2.5")
	}
	if err := l.Undo(ctx, "ip:192.0.2.5"); err != nil {
		t.Fatal(err)
	}
	if over("ip:192.0.2.5") || hit(l, "ip:192.0.2.5") || !hit(l, "ip:192.0.2.5") {
		t.Fatal("Undo did not take back exactly one attempt")
	}
	// The purge job deletes windows over a day old, and only those.
	hit(l, "ip:192.0.2.3")
	clock.Add(23 * time.Hour)
	hit(l, "ip:192.0.2.4")
	clock.Add(2 * time.Hour)
	if n, err := l.Purge(ctx, clock.Now().UnixMilli()); err != nil || n != 3 {
		t.Fatalf("purged %d windows (%v); want the three of ip:192.0.2.1, ip:192.0.2.3 and ip:192.0.2.5", n, err)
	}
	off := throttle.New(db, clock.Now)
	off.Off = true
	for range limit + 2 {
		if hit(off, "ip:192.0.2.9") {
			t.Fatal("a limiter that is off refused an attempt")
		}
	}
}
