package app

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// The collector runs when the heap reaches five times what survived the last collection
// (GOGC 400), but never before it reaches heapFloor. Lobby's live heap is a few MiB, so at
// Go's default of 100 the collector ran every few MiB allocated, many times a second under
// load, and each cycle takes a core's share for its marking. At 400: SCIM lookups 9,200 →
// 11,500 requests/s, p99 10.9 → 9.1 ms. The floor of 128 MiB, in three alternating pairs:
// SCIM lookups at 32 clients p99 6.2–6.5 → 4.5–5.8 ms. Its price is memory that a busy Lobby
// keeps (about 130 MiB of heap instead of 20–50), and the peak heap of a 100,000-row import
// preview: 70 → 128 MB (its target is 150).
const (
	gcPercent = 400
	heapFloor = 128 << 20
)

// TuneGC applies gcPercent and heapFloor unless the operator chose with GOGC (GOMEMLIMIT, a
// soft ceiling, is left to the operator and works with either: set below the floor, it wins).
func TuneGC() {
	if operatorGOGC() {
		return
	}
	debug.SetGCPercent(gcPercent)
	watching.Do(func() {
		watchCollections(func(live, roots uint64) {
			if !operatorGOGC() {
				debug.SetGCPercent(percentFor(live, roots))
			}
		})
	})
}

var watching sync.Once

func operatorGOGC() bool {
	_, set := os.LookupEnv("GOGC")
	return set
}

// percentFor is the GOGC that puts the next collection at heapFloor, or at GOGC 400's goal
// (about five times the live heap) if that is more. live is the heap marked by the last collection and roots the
// stacks and globals it scanned: the runtime's goal is live + (live + roots) × GOGC/100. It
// also never collects below 4 MiB × GOGC/100 (runtime/mgcpacer.go, heapMinimum), so the
// percent stops at heapFloor / 4 MiB: a bigger one, for a live heap under 4 MiB, would raise
// that minimum, and the goal with it, past the floor.
func percentFor(live, roots uint64) int {
	if live >= heapFloor {
		return gcPercent
	}
	pct := min((heapFloor-live)*100/max(live+roots, 1), heapFloor/(4<<20)*100)
	return max(int(pct), gcPercent)
}

// watchCollections calls after with the live heap and the roots of the last collection
// (see percentFor) after every collection, from the finalizer goroutine: an object with a
// finalizer is found unreachable by each cycle, and its finalizer makes the next one.
func watchCollections(after func(live, roots uint64)) {
	type sentinel struct{ _ [16]byte } // not zero-sized: those may share an address and never be freed
	var arm func()
	arm = func() {
		runtime.SetFinalizer(new(sentinel), func(*sentinel) {
			s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/stack:bytes"},
				{Name: "/gc/scan/globals:bytes"}}
			metrics.Read(s)
			after(s[0].Value.Uint64(), s[1].Value.Uint64()+s[2].Value.Uint64())
			arm()
		})
	}
	arm()
}
