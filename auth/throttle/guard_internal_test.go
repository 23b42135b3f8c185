package throttle

import (
	"context"
	"testing"
	"time"

	"github.com/lobby/lobby/app/store/storetest"
)

// When the keys kept in memory reach their bound, a new key over its limit is still kept
// (and refused): the block that ends soonest makes room.
func TestGuardKeepsANewBlockWhenFull(t *testing.T) {
	ctx := context.Background()
	clock := storetest.NewClock(time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC))
	g := New(storetest.Open(t), clock.Now).Guard(0, time.Hour)
	g.max = 2
	for _, key := range []string{"a", "b", "c"} {
		if _, blocked, err := g.Fail(ctx, key); err != nil || !blocked {
			t.Fatalf("%s: blocked %v, %v", key, blocked, err)
		}
		clock.Add(time.Minute)
	}
	if _, blocked := g.Blocked("c"); !blocked {
		t.Fatal("the newest block was not kept")
	}
	if _, blocked := g.Blocked("b"); !blocked {
		t.Fatal("a later block was dropped before the soonest")
	}
	if _, blocked := g.Blocked("a"); blocked {
		t.Fatal("the block that ends soonest was kept over the bound")
	}
}
