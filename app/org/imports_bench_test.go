package org_test

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store/storetest"
)

// benchFile writes an import of n rows shaped like a real one: names, a role on some rows, a
// team on most, one row in 200 a repeat and one in 500 a bad address.
func benchFile(n int, prefix string) []byte {
	var b bytes.Buffer
	b.Grow(n * 60)
	b.WriteString("email,name,role,team\n")
	for i := range n {
		switch {
		case i%500 == 499:
			fmt.Fprintf(&b, "not-an-address-%d,Broken Row,,Sales\n", i)
		case i%200 == 199:
			fmt.Fprintf(&b, "%s%d@example.com,Repeat,,\n", prefix, i-1)
		default:
			role := ""
			if i%10 == 0 {
				role = "admin"
			}
			fmt.Fprintf(&b, "%s%d@example.com,Person Number %d,%s,%s\n", prefix, i, i, role, []string{"Sales", "Support", "", "Sales;Support"}[i%4])
		}
	}
	return b.Bytes()
}

// peakHeap samples the live heap while fn runs and returns the highest value seen, in MB.
func peakHeap(fn func()) float64 {
	runtime.GC()
	var peak uint64
	var mu sync.Mutex
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&m)
			mu.Lock()
			peak = max(peak, m.HeapAlloc)
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	fn()
	close(stop)
	<-done
	return float64(peak) / (1 << 20)
}

type benchEnv struct {
	ctx   context.Context
	svc   *org.Service
	owner org.Actor
}

func newBenchEnv(b *testing.B) benchEnv {
	ctx := context.Background()
	db := storetest.Open(b)
	svc := org.New(db, org.Options{BaseURL: "https://lobby.example"})
	o, err := svc.CreateOrg(ctx, org.SystemActor("cli", "bench", ""), "acme", "Acme")
	if err != nil {
		b.Fatal(err)
	}
	a := org.SystemActor("cli", "bench", o.ID)
	for _, t := range []string{"Sales", "Support"} {
		if _, err := svc.CreateTeam(ctx, a, t); err != nil {
			b.Fatal(err)
		}
	}
	return benchEnv{ctx: ctx, svc: svc, owner: a}
}

// BenchmarkImportPreview100k previews a 100,000-row file (target: under 2 s, peak heap under 150 MB).
func BenchmarkImportPreview100k(b *testing.B) {
	e := newBenchEnv(b)
	file := benchFile(100_000, "p")
	var peak float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		peak = max(peak, peakHeap(func() {
			p, err := e.svc.PreviewImport(e.ctx, e.owner, bytes.NewReader(file), org.ImportOptions{Filename: "big.csv"})
			if err != nil || p.Import.Summary.Rows != 100_000 {
				b.Fatalf("preview: %v", err)
			}
		}))
	}
	b.ReportMetric(peak, "peak-heap-MB")
}

// BenchmarkImportCommit10k commits a previewed 10,000-row file with its emails queued (target:
// under 1 s, peak heap under 150 MB). The preview is not timed.
func BenchmarkImportCommit10k(b *testing.B) {
	e := newBenchEnv(b)
	var peak float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		p, err := e.svc.PreviewImport(e.ctx, e.owner, bytes.NewReader(benchFile(10_000, fmt.Sprintf("c%d-", i))), org.ImportOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		peak = max(peak, peakHeap(func() {
			im, err := e.svc.CommitImport(e.ctx, e.owner, p.Import.ID, org.CommitOptions{Notify: true})
			if err != nil || im.Summary.Outcomes[org.OutcomeInvited] < 9_000 {
				b.Fatalf("commit: %v %+v", err, im.Summary)
			}
		}))
	}
	b.ReportMetric(peak, "peak-heap-MB")
}
