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
// preview: 70 → 133 MB (its target is 150).
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
		watchCollections(func(live uint64) {
			if !operatorGOGC() {
				debug.SetGCPercent(percentFor(live))
			}
		})
	})
}

var watching sync.Once

func operatorGOGC() bool {
	_, set := os.LookupEnv("GOGC")
	return set
}

// percentFor is the GOGC that puts the next collection at five times the live heap, or at
// heapFloor if that is more.
func percentFor(live uint64) int {
	live = max(live, 1<<20)
	if live*(100+gcPercent)/100 >= heapFloor {
		return gcPercent
	}
	return int(min(heapFloor*100/live-100, 100_000))
}

// watchCollections calls after with the live heap after every collection, from the
// finalizer goroutine: an object with a finalizer is found unreachable by each cycle, and its
// finalizer makes the next one.
func watchCollections(after func(live uint64)) {
	type sentinel struct{ _ [16]byte } // not zero-sized: those may share an address and never be freed
	var arm func()
	arm = func() {
		runtime.SetFinalizer(new(sentinel), func(*sentinel) {
			s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
			metrics.Read(s)
			after(s[0].Value.Uint64())
			arm()
		})
	}
	arm()
}
