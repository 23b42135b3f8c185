package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// result is one section of the report: what it measured, how, and the numbers.
type result struct {
	Num         int // the section's place in the table, as the issues number them
	Name, Title string
	What, How   string
	Rows        []row
	Notes       []string
	Err         error
}

// row is one number; Target is empty for numbers without one.
type row struct {
	Measure, Value, Target string
	Met                    *bool
	// ZeroOK marks a count that may honestly be zero (the harness test checks the others are positive).
	ZeroOK bool
}

// add appends a row without a target.
func (r *result) add(measure, value string) {
	r.Rows = append(r.Rows, row{Measure: measure, Value: value})
}

// target appends a row with a target and whether this run met it.
func (r *result) target(measure, value, target string, met bool) {
	r.Rows = append(r.Rows, row{Measure: measure, Value: value, Target: target, Met: &met})
}

// note appends a remark, skipping empty ones.
func (r *result) note(format string, args ...any) {
	if s := fmt.Sprintf(format, args...); s != "" {
		r.Notes = append(r.Notes, s)
	}
}

// machine describes where the numbers were measured.
type machine struct {
	CPU, Kernel, Go, RAM string
	Cores, Procs         int
	LoadStart, LoadEnd   string
	// FileCreate is what writing one small file costs in the temporary folder.
	FileCreate string
}

func readMachine() machine {
	m := machine{Go: runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH, Cores: runtime.NumCPU(),
		Procs: runtime.GOMAXPROCS(0), CPU: "unknown", RAM: "unknown", LoadStart: loadAvg()}
	if v := procField("/proc/cpuinfo", "model name"); v != "" {
		m.CPU = v
	}
	if v := procField("/proc/meminfo", "MemTotal"); v != "" {
		if kb, err := strconv.ParseFloat(strings.TrimSuffix(v, " kB"), 64); err == nil {
			m.RAM = fmt.Sprintf("%.1f GiB", kb/(1<<20))
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = "Linux " + strings.TrimSpace(string(b))
	}
	m.FileCreate = fileCreateCost()
	return m
}

// fileCreateCost times writing 300 small files the way the file mail transport writes a
// message (create, write, close, rename) in a new folder under the temporary folder.
func fileCreateCost() string {
	dir, err := os.MkdirTemp("", "lobby-bench-files-")
	if err != nil {
		return "unknown: " + err.Error()
	}
	defer os.RemoveAll(dir) // 300 files: too few to slow later files down
	body := bytes.Repeat([]byte("x"), 2048)
	const n = 300
	t0 := time.Now()
	for i := range n {
		name := filepath.Join(dir, fmt.Sprintf(".tmp-%d", i))
		if err := os.WriteFile(name, body, 0o640); err != nil {
			return "unknown: " + err.Error()
		}
		if err := os.Rename(name, filepath.Join(dir, fmt.Sprintf("%d.eml", i))); err != nil {
			return "unknown: " + err.Error()
		}
	}
	return fmt.Sprintf("%.0f µs", float64(time.Since(t0).Microseconds())/n)
}

// procField returns the value of the first "key: value" line of a /proc file.
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// markdown renders the whole report.
func markdown(m machine, started time.Time, took time.Duration, mode string, results []result) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# Benchmarks\n\n")
	w("Measured by `go run ./bench -write` (`make bench` runs the same and only prints it) on %s, %s mode, in %s. ", started.UTC().Format("2006-01-02 15:04 MST"),
		mode, took.Round(time.Second))
	w("Every number comes from real parts: `app.New` on a libSQL file in a temporary folder on disk, writing its mail as ")
	w(".eml files to a folder in memory (/dev/shm: on this disk a new file can cost ten times more for minutes after ")
	w("many were deleted, which the machine table shows), serving on 127.0.0.1 ")
	w("through `App.Serve`, driven by fasthttp's client with keep-alive, which takes less of the shared cores than ")
	w("`net/http`'s (pages that need cookies use `net/http`; a real `lobby serve` process where said). ")
	w("The process runs with the collector setting of the `lobby` binary (`app.TuneGC`: GOGC 400 unless GOGC is set), ")
	w("which its in-process clients share. ")
	w("Targets are reported, never enforced. The machine is shared with other builds, so single numbers are noisy; ")
	w("ratios measured in the same run are the steadier signal. Rerun with `make bench` (or `go run ./bench -only expire,pages`).\n\n")
	w("## Machine\n\n| | |\n|---|---|\n")
	w("| CPU | %s |\n| Cores | %d (GOMAXPROCS %d) |\n| RAM | %s |\n| OS | %s |\n| Go | %s |\n| Load average (1, 5, 15 min) | %s at start, %s at end |\n"+
		"| Writing one 2 KiB file in the temporary folder (where the databases are) | %s |\n\n",
		m.CPU, m.Cores, m.Procs, m.RAM, m.Kernel, m.Go, m.LoadStart, m.LoadEnd, m.FileCreate)
	w("## Targets\n\n| Section | Measure | Value | Target | Met |\n|---|---|---|---|---|\n")
	for _, r := range results {
		for _, x := range r.Rows {
			if x.Target != "" {
				w("| %s | %s | %s | %s | %s |\n", r.Title, x.Measure, x.Value, x.Target, metText(x.Met))
			}
		}
	}
	for _, r := range results {
		w("\n## %d. %s (`-only %s`)\n\n", r.Num, r.Title, r.Name)
		w("**What:** %s\n\n**How:** %s\n\n", r.What, r.How)
		if r.Err != nil {
			w("**The section could not finish:** %v\n\n", r.Err)
		}
		if len(r.Rows) > 0 {
			w("| Measure | Value | Target | Met |\n|---|---|---|---|\n")
			for _, x := range r.Rows {
				w("| %s | %s | %s | %s |\n", x.Measure, x.Value, dash(x.Target), metText(x.Met))
			}
			w("\n")
		}
		for _, n := range r.Notes {
			w("- %s\n", n)
		}
	}
	return b.String()
}

func metText(m *bool) string {
	switch {
	case m == nil:
		return ""
	case *m:
		return "met"
	default:
		return "**not met**"
	}
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
