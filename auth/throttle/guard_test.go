package throttle_test

import (
	"context"
	"testing"
	"time"

	"github.com/lobby/lobby/app/store/storetest"
	"github.com/lobby/lobby/auth/throttle"
)

// A Guard blocks a key at the failure after its limit, for one window from then, and only that
// key; failures at another Guard on the same database (another process) count towards the same
// limit, and each Guard learns of the block at the key's next failure with it.
func TestGuardBlocksAKeyOverItsLimit(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	clock := storetest.NewClock(time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC))
	const limit, window = 3, 15 * time.Minute
	g := throttle.New(db, clock.Now).Guard(limit, window)
	other := throttle.New(db, clock.Now).Guard(limit, window)
	fail := func(g *throttle.Guard, key string) (time.Time, bool) {
		t.Helper()
		until, blocked, err := g.Fail(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		return until, blocked
	}
	for i := 1; i <= limit; i++ {
		if _, blocked := fail(g, "ip:192.0.2.1"); blocked {
			t.Fatalf("failure %d of %d blocks the key", i, limit)
		}
		if _, blocked := g.Blocked("ip:192.0.2.1"); blocked {
			t.Fatalf("the key is blocked after %d failures of %d allowed", i, limit)
		}
	}
	clock.Add(time.Minute)
	until, blocked := fail(g, "ip:192.0.2.1")
	if want := clock.Now().Add(window); !blocked || !until.Equal(want) {
		t.Fatalf("the failure after the limit: blocked %v until %v; want until %v", blocked, until, want)
	}
	if got, blocked := g.Blocked("ip:192.0.2.1"); !blocked || !got.Equal(until) {
		t.Fatalf("Blocked says %v until %v after the key went over", blocked, got)
	}
	if _, blocked := g.Blocked("ip:192.0.2.2"); blocked {
		t.Fatal("another key is blocked too")
	}
	clock.Add(window - time.Second)
	if _, blocked := g.Blocked("ip:192.0.2.1"); !blocked {
		t.Fatal("the block ended before its window")
	}
	clock.Add(time.Second)
	if _, blocked := g.Blocked("ip:192.0.2.1"); blocked {
		t.Fatal("the block outlasts its window")
	}

	// Two processes: the failures add up in the database.
	fail(g, "ip:198.51.100.7")
	fail(g, "ip:198.51.100.7")
	if _, blocked := fail(other, "ip:198.51.100.7"); blocked {
		t.Fatal("the third failure in all blocks the key")
	}
	if _, blocked := fail(other, "ip:198.51.100.7"); !blocked {
		t.Fatal("the fourth failure in all, the second at the other guard, does not block the key there")
	}
	if _, blocked := other.Blocked("ip:198.51.100.7"); !blocked {
		t.Fatal("the other guard does not keep the key out")
	}
	if _, blocked := fail(g, "ip:198.51.100.7"); !blocked {
		t.Fatal("the first guard does not learn of the block at the key's next failure")
	}

	off := throttle.New(db, clock.Now)
	off.Off = true
	og := off.Guard(limit, window)
	for range limit + 2 {
		if _, blocked := fail(og, "ip:192.0.2.9"); blocked {
			t.Fatal("a guard whose limiter is off blocked a key")
		}
	}
	if _, blocked := og.Blocked("ip:192.0.2.9"); blocked {
		t.Fatal("a guard whose limiter is off keeps a key out")
	}
}
