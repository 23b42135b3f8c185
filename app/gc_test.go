package app

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

// TuneGC sets Lobby's collector target only when the operator did not choose one with GOGC.
func TestTuneGCLeavesGOGCToTheOperator(t *testing.T) {
	prev := debug.SetGCPercent(100)
	defer debug.SetGCPercent(prev)
	t.Setenv("GOGC", "150") // restored when the test ends
	TuneGC()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set, TuneGC changed the target to %d", got)
	}
}

// Without GOGC, a process whose live heap is small (this test's is a few MiB) collects when its
// heap reaches the floor, not five times its live heap, and keeps doing so after each collection.
func TestTuneGCHoldsCollectionsOffUntilTheFloor(t *testing.T) {
	prev := debug.SetGCPercent(100)
	defer debug.SetGCPercent(prev)
	t.Setenv("GOGC", "")
	if err := os.Unsetenv("GOGC"); err != nil {
		t.Fatal(err)
	}
	TuneGC()
	goal := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}, {Name: "/gc/heap/live:bytes"}}
	deadline := time.Now().Add(10 * time.Second)
	for round := 0; ; round++ {
		runtime.GC() // the floor holds after every collection, not only the first
		time.Sleep(10 * time.Millisecond)
		metrics.Read(goal)
		g, live := goal[0].Value.Uint64(), goal[1].Value.Uint64()
		if g >= heapFloor*9/10 && round >= 2 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %d collections the heap goal is %d MiB with %d MiB live; want about %d MiB", round+1,
				g>>20, live>>20, heapFloor>>20)
		}
	}
}

func TestPercentForPutsTheGoalAtFiveTimesLiveOrTheFloor(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, 12_700},                // counted as 1 MiB: 1 × (1 + 127) = 128
		{4 << 20, 3_100},           // 4 × 32 = 128
		{16 << 20, 700},            // 16 × 8 = 128
		{heapFloor / 5, gcPercent}, // five times live is the floor itself
		{1 << 30, gcPercent},
	} {
		if got := percentFor(c.live); got != c.want {
			t.Errorf("percentFor(%d MiB) = %d, want %d", c.live>>20, got, c.want)
		}
		if c.live >= 1<<20 {
			if goal := c.live * uint64(100+percentFor(c.live)) / 100; goal < heapFloor*99/100 {
				t.Errorf("with %d MiB live the goal is %d MiB, under the floor", c.live>>20, goal>>20)
			}
		}
	}
}
