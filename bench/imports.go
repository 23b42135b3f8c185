package main

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/lobby/lobby/app/org"
)

// heapTarget is the most Go heap an import may hold at its peak, in bytes (150 MB).
const heapTarget = 150_000_000

// benchImports times a large CSV import's preview and a commit that queues its emails, and
// samples the Go heap during both.
func benchImports(ctx context.Context, e *env) result {
	sz := e.Sz
	r := result{Title: "CSV imports",
		What: fmt.Sprintf("how long `Service.PreviewImport` takes to read and classify a %s-row CSV file, how long "+
			"`Service.CommitImport` with `Notify: true` takes to invite the %s rows of another file and queue their emails, "+
			"and the highest Go heap during each.", num(float64(sz.ImportRows)), num(float64(sz.CommitRows))),
		How: "a fresh in-process Lobby with two teams (Sales, Support); the owner acts through the API token's actor. The " +
			"files are made like `app/org/imports_bench_test.go` makes them: `email,name,role,team`, one row in 10 with role " +
			"admin, most rows with one or two teams, one row in 200 repeating an address and one in 500 a bad address. The " +
			"commit's file is previewed first (not timed). A goroutine reads `runtime.ReadMemStats` every 2 ms and keeps the " +
			"highest `HeapAlloc` (live and not yet collected heap of the whole process: server, mail sender and this " +
			"benchmark); a GC runs before each measured call. The mail sender runs as in production and writes the queued " +
			"mail as .eml files during and after the commit, sharing the one writer connection."}
	l, err := startLobby(ctx, e.Root, nil)
	if err != nil {
		r.Err = err
		return r
	}
	defer l.Close()
	if err := importsRun(ctx, l, sz, &r); err != nil {
		r.Err = err
	}
	return r
}

func importsRun(ctx context.Context, l *lobby, sz sizes, r *result) error {
	a, err := l.actor(ctx)
	if err != nil {
		return err
	}
	for _, t := range []string{"Sales", "Support"} {
		if _, err := l.App.Org.CreateTeam(ctx, a, t); err != nil {
			return err
		}
	}
	file := importFile(sz.ImportRows, "p")
	progress("imports: previewing %s rows (%.1f MB).", num(float64(sz.ImportRows)), float64(len(file))/1e6)
	var p org.ImportPreview
	var took time.Duration
	before, peak, cpuUse := heapDuring(func() {
		t0 := time.Now()
		p, err = l.App.Org.PreviewImport(ctx, a, bytes.NewReader(file), org.ImportOptions{Filename: "big.csv"})
		took = time.Since(t0)
	})
	if err != nil {
		return fmt.Errorf("preview: %w", err)
	}
	if p.Import.Summary.Rows != sz.ImportRows {
		return fmt.Errorf("the preview read %d rows of %d", p.Import.Summary.Rows, sz.ImportRows)
	}
	r.target(fmt.Sprintf("Preview of %s rows", num(float64(sz.ImportRows))), fmt.Sprintf("%s (%s rows/s)", short(took),
		num(float64(sz.ImportRows)/took.Seconds())), "< 2 s", took < 2*time.Second)
	r.target("Peak Go heap during the preview", mb(peak), "< 150 MB", peak < heapTarget)
	r.add("Go heap before the preview (after a GC)", mb(before))
	r.add("Preview outcomes: will invite / duplicate / invalid", fmt.Sprintf("%s / %s / %s",
		num(float64(p.Import.Summary.Outcomes[org.OutcomeInvite])), num(float64(p.Import.Summary.Outcomes[org.OutcomeDuplicate])),
		num(float64(p.Import.Summary.Outcomes[org.OutcomeInvalidEmail]))))
	r.add("This process during the preview", cpuUse)

	progress("imports: committing %s rows with emails.", num(float64(sz.CommitRows)))
	p, err = l.App.Org.PreviewImport(ctx, a, bytes.NewReader(importFile(sz.CommitRows, "c")), org.ImportOptions{Filename: "commit.csv"})
	if err != nil {
		return fmt.Errorf("preview of the file to commit: %w", err)
	}
	var im org.Import
	before, peak, cpuUse = heapDuring(func() {
		t0 := time.Now()
		im, err = l.App.Org.CommitImport(ctx, a, p.Import.ID, org.CommitOptions{Notify: true})
		took = time.Since(t0)
	})
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	invited := im.Summary.Outcomes[org.OutcomeInvited]
	if invited < sz.CommitRows*9/10 {
		return fmt.Errorf("the commit invited %d of %d rows: %+v", invited, sz.CommitRows, im.Summary.Outcomes)
	}
	queued, err := count(ctx, l.App.DB, `SELECT count(*) FROM outbox WHERE template = 'invite'`)
	if err != nil {
		return err
	}
	r.target(fmt.Sprintf("Commit of %s rows, emails queued", num(float64(sz.CommitRows))), fmt.Sprintf("%s (%s invitations/s)",
		short(took), num(float64(invited)/took.Seconds())), "< 1 s", took < time.Second)
	r.target("Peak Go heap during the commit", mb(peak), "< 150 MB", peak < heapTarget)
	r.add("Go heap before the commit (after a GC)", mb(before))
	r.add("Invitations created / emails queued", fmt.Sprintf("%s / %s", num(float64(invited)), num(float64(queued))))
	r.add("This process during the commit", cpuUse)
	if int64(invited) != queued {
		return fmt.Errorf("the commit created %d invitations but queued %d emails", invited, queued)
	}
	return nil
}

// heapDuring runs fn after a GC while sampling the Go heap every 2 ms; it returns the heap
// before fn, the highest heap seen and the CPU use meanwhile.
func heapDuring(fn func()) (before, peak uint64, cpuUse string) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	before, peak = m.HeapAlloc, m.HeapAlloc
	var mu sync.Mutex
	stop, done := make(chan struct{}), make(chan struct{})
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
	t0, cpu := time.Now(), readSched()
	fn()
	cpuUse = cpu.since(time.Since(t0))
	close(stop)
	<-done
	return before, peak, cpuUse
}

func mb(b uint64) string { return fmt.Sprintf("%.1f MB", float64(b)/1e6) }

// importFile writes an import of n rows shaped like a real one: names, a role on some rows, a
// team on most, one row in 200 a repeat and one in 500 a bad address (as app/org's benchmark).
func importFile(n int, prefix string) []byte {
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
			fmt.Fprintf(&b, "%s%d@example.com,Person Number %d,%s,%s\n", prefix, i, i, role,
				[]string{"Sales", "Support", "", "Sales;Support"}[i%4])
		}
	}
	return b.Bytes()
}
