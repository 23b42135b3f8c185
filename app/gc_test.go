package app

import (
	"math"
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

// Without GOGC, the collector's goal is the floor while little survives a collection, follows
// five times the live heap once that is more, and comes back to the floor after: the watcher
// runs after every collection. (It keeps running for the rest of this test binary, as it does
// for the life of a Lobby process.)
func TestTuneGCHoldsTheGoalAtTheFloorAfterEveryCollection(t *testing.T) {
	prevPercent := debug.SetGCPercent(100)
	defer debug.SetGCPercent(prevPercent)
	prevLimit := debug.SetMemoryLimit(math.MaxInt64) // a GOMEMLIMIT below the floor would win
	defer debug.SetMemoryLimit(prevLimit)
	t.Setenv("GOGC", "")
	if err := os.Unsetenv("GOGC"); err != nil {
		t.Fatal(err)
	}
	TuneGC()
	const mib = 1 << 20
	// goalNear collects until the goal is within 5 % of want, given what the collection left.
	goalNear := func(what string, want func(live, roots uint64) uint64) {
		t.Helper()
		s := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}, {Name: "/gc/heap/live:bytes"},
			{Name: "/gc/scan/stack:bytes"}, {Name: "/gc/scan/globals:bytes"}}
		deadline := time.Now().Add(10 * time.Second)
		for {
			runtime.GC()
			time.Sleep(10 * time.Millisecond) // the watcher runs on the finalizer goroutine
			metrics.Read(s)
			goal, live, roots := s[0].Value.Uint64(), s[1].Value.Uint64(), s[2].Value.Uint64()+s[3].Value.Uint64()
			w := want(live, roots)
			if goal >= w*95/100 && goal <= w*105/100 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: the heap goal is %d MiB with %d MiB live; want about %d MiB", what, goal/mib, live/mib, w/mib)
			}
		}
	}
	floor := func(live, _ uint64) uint64 {
		if live*5 >= heapFloor {
			t.Fatalf("the test's live heap, %d MiB, is too large to show the floor", live/mib)
		}
		return heapFloor
	}
	goalNear("little live", floor)
	kept := make([]byte, 48*mib)
	goalNear("48 MiB more live", func(live, roots uint64) uint64 { return live + (live+roots)*gcPercent/100 })
	runtime.KeepAlive(kept) // and no further
	goalNear("little live again", floor)
}

func TestPercentForPutsTheGoalAtTheFloorOrGOGC400(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct {
		live, roots uint64
		want        int
	}{
		{0, 0, 3_200},                 // the runtime's minimum, 4 MiB × 32, is the floor itself
		{4 * mib, 0, 3_100},           // 4 + 4 × 31 = 128
		{16 * mib, 0, 700},            // 16 + 16 × 7 = 128
		{16 * mib, 16 * mib, 400},     // 16 + 32 × 4 = 144: GOGC 400 is above the floor already
		{heapFloor / 5, 0, gcPercent}, // five times live is the floor itself
		{1 << 30, mib, gcPercent},
	} {
		got := percentFor(c.live, c.roots)
		if got != c.want {
			t.Errorf("percentFor(%d MiB, %d MiB) = %d, want %d", c.live/mib, c.roots/mib, got, c.want)
		}
		goal := max(c.live+(c.live+c.roots)*uint64(got)/100, 4*mib*uint64(got)/100)
		at400 := c.live + (c.live+c.roots)*4
		if goal < min(heapFloor, at400)*99/100 || goal > max(heapFloor, at400)*101/100 {
			t.Errorf("with %d MiB live and %d MiB of roots the goal is %d MiB", c.live/mib, c.roots/mib, goal/mib)
		}
	}
}
