package mail

import (
	"testing"
	"time"
)

// A failed email waits 30 s after its first failure, twice as long after each next one, never
// more than an hour, each wait within 20 % either side so that emails failing together do not
// all come back together.
func TestDefaultBackoffDoublesUpToAnHour(t *testing.T) {
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute,
		16 * time.Minute, 32 * time.Minute, time.Hour, time.Hour, time.Hour}
	for i, w := range want {
		attempt := i + 1
		lo, hi := time.Duration(float64(w)*0.8), time.Duration(float64(w)*1.2)
		seen := map[time.Duration]bool{}
		for range 200 {
			d := DefaultBackoff(attempt)
			if d < lo || d > hi {
				t.Fatalf("after failure %d the wait is %v; want %v ± 20 %%", attempt, d, w)
			}
			seen[d] = true
		}
		if len(seen) < 50 {
			t.Fatalf("after failure %d, 200 waits took only %d values: the jitter is missing", attempt, len(seen))
		}
	}
}
