package csvin

import (
	"bytes"
	"io"
	"runtime"
	"strings"
	"testing"
)

func BenchmarkRead100k(b *testing.B) {
	file := generate(100_000)
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(file), Limits{})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for ; ; n++ {
			if _, err = r.Next(); err != nil {
				break
			}
		}
		if err != io.EOF || n != 100_000 {
			b.Fatalf("read %d rows, then %v", n, err)
		}
	}
}

// TestPeakHeap100k measures the heap while reading 100,000 rows, once dropping each row (how
// the import streams) and once keeping them all. Not parallel, so that nothing else allocates.
func TestPeakHeap100k(t *testing.T) {
	file := generate(100_000)
	for _, keep := range []bool{false, true} {
		var kept []Row
		peak, total := measure(func(sample func()) {
			r, err := NewReader(bytes.NewReader(file), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			for n := 0; ; n++ {
				row, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if keep {
					kept = append(kept, row)
				}
				if n%2000 == 0 {
					sample()
				}
			}
			sample()
		})
		t.Logf("100,000 rows (%.1f MB file), keeping rows %v: peak heap %.1f MB above the file, %.1f MB allocated",
			mb(uint64(len(file))), keep, mb(peak), mb(total))
		if peak > 150<<20 {
			t.Errorf("peak heap %.1f MB; the target is under 150 MB", mb(peak))
		}
		runtime.KeepAlive(kept)
	}
}

// TestHostileFilesStayCheap checks that a file built to blow up memory costs little: one line
// of 19 MB of commas (19 million cells), one quoted cell of 19 MB and one 2 MB row.
func TestHostileFilesStayCheap(t *testing.T) {
	cases := []struct {
		name, in, problem string
	}{
		{"19 MB of commas", "email,name\na@x.com" + strings.Repeat(",", 19<<20) + "\nb@x.com,Bob\n", "the row has more than 258 cells"},
		{"a 19 MB quoted cell", "email,name\na@x.com,\"" + strings.Repeat("x", 19<<20) + "\"\nb@x.com,Bob\n", `the "name" cell is longer than 4,096 characters`},
		{"a 2 MB row of 4,000-character cells (64 KB allowed for 2 columns)", "email,name\na@x.com" + strings.Repeat(","+strings.Repeat("y", 4000), 500) + "\nb@x.com,Bob\n",
			"the row is longer than 64 KB; the rest of the line was skipped"},
	}
	for _, tc := range cases {
		var res result
		_, total := measure(func(func()) { res = readAll(t, strings.NewReader(tc.in), Limits{}) })
		if res.err != nil || len(res.rows) != 2 || !strings.Contains(res.rows[0].Problem, tc.problem) || res.rows[1].Name != "Bob" {
			t.Errorf("%s: rows %+v, error %v", tc.name, res.rows, res.err)
		}
		if total > 8<<20 {
			t.Errorf("%s: allocated %.1f MB; want under 8 MB", tc.name, mb(total))
		}
	}
}

// measure runs f and returns the peak heap growth seen by the samples f takes, and the bytes
// allocated in all.
func measure(f func(sample func())) (peak, total uint64) {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base, alloc0 := ms.HeapAlloc, ms.TotalAlloc
	f(func() {
		runtime.ReadMemStats(&ms)
		if ms.HeapAlloc > base && ms.HeapAlloc-base > peak {
			peak = ms.HeapAlloc - base
		}
	})
	runtime.ReadMemStats(&ms)
	return peak, ms.TotalAlloc - alloc0
}

func mb(n uint64) float64 { return float64(n) / (1 << 20) }
