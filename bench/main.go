// Command bench measures Lobby on this machine and prints a Markdown report; with -write it
// also rewrites docs/BENCHMARKS.md. It never fails because of a number: targets are reported
// as met or not met. It fails only when a part of Lobby refuses to work.
//
//	go run ./bench                       every section, full sizes (a few minutes)
//	go run ./bench -quick                smaller sizes, a smoke run
//	go run ./bench -only expire,pages    some sections
//	go run ./bench -write                also rewrite docs/BENCHMARKS.md
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/lobby/lobby/app"
)

// sizes bound every loop of the benchmarks, in count and in time.
type sizes struct {
	Batches, BatchSize, BatchClients int           // section invites
	Singles, SingleClients, Baseline int           // section latency
	Paced                            time.Duration // section latency: each run at a set rate
	ExpireTotal, ExpireDue, Inviters int           // section expire
	Members                          int           // section memory
	PageRounds, PageClients          int           // section pages: rounds of each endpoint
	PageSlice                        time.Duration // section pages: one endpoint's turn in a round
	Signups                          int           // section pages: concurrent sign-ups
	People, PeopleInvites            int           // section people: members and invitations
	PeopleCalls                      int           // section people: requests of each case
	ImportRows, CommitRows           int           // section imports: rows previewed, rows committed
	JoinPosts, JoinClients           int           // section join: join requests and their clients
	SCIMMembers, SCIMClients         int           // section scim: members looked up, clients at once
	SyncUsers, SyncGroups, GroupSize int           // section scim: the initial sync
	SyncClients                      int           // section scim: clients of the initial sync
	Limit                            time.Duration // the most any one loop may run
}

var (
	fullSizes = sizes{Batches: 200, BatchSize: 100, BatchClients: 4, Singles: 20000, SingleClients: 32, Baseline: 300,
		Paced:       2 * time.Second,
		ExpireTotal: 1_000_000, ExpireDue: 100_000, Inviters: 200, Members: 100_000,
		PageRounds: 3, PageClients: 8, PageSlice: time.Second, Signups: 8,
		People: 100_000, PeopleInvites: 200_000, PeopleCalls: 200, ImportRows: 100_000, CommitRows: 10_000,
		JoinPosts: 320, JoinClients: 32, SCIMMembers: 100_000, SCIMClients: 32,
		SyncUsers: 10_000, SyncGroups: 500, GroupSize: 20, SyncClients: 4, Limit: 90 * time.Second}
	quickSizes = sizes{Batches: 10, BatchSize: 100, BatchClients: 4, Singles: 500, SingleClients: 32, Baseline: 100,
		Paced:       500 * time.Millisecond,
		ExpireTotal: 100_000, ExpireDue: 10_000, Inviters: 50, Members: 10_000,
		PageRounds: 2, PageClients: 8, PageSlice: 300 * time.Millisecond, Signups: 4,
		People: 20_000, PeopleInvites: 40_000, PeopleCalls: 20, ImportRows: 20_000, CommitRows: 2_000,
		JoinPosts: 96, JoinClients: 32, SCIMMembers: 20_000, SCIMClients: 32,
		SyncUsers: 2_000, SyncGroups: 100, GroupSize: 20, SyncClients: 4, Limit: 30 * time.Second}
)

// env is what every section gets.
type env struct {
	Root string // the checkout: go.mod, public/
	Sz   sizes
	bins map[bool]string // built lobby binaries by stripped
	tmp  string
}

// section is one named benchmark.
type section struct {
	Name string
	Run  func(ctx context.Context, e *env) result
}

var sections = []section{
	{"invites", benchInvites},
	{"latency", benchLatency},
	{"expire", benchExpire},
	{"memory", benchMemory},
	{"binary", benchBinary},
	{"pages", benchPages},
	{"people", benchPeople},
	{"imports", benchImports},
	{"join", benchJoin},
	{"scim", benchSCIM},
}

func main() {
	only := flag.String("only", "", "comma-separated sections to run: "+sectionNames())
	quick := flag.Bool("quick", false, "smaller sizes for a smoke run")
	write := flag.Bool("write", false, "also rewrite docs/BENCHMARKS.md")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run (server and clients) to this file")
	flag.Parse()
	app.TuneGC() // the in-process Lobbies run with the binary's collector setting
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(2)
		}
		_ = pprof.StartCPUProfile(f)
	}
	code := mainErr(ctx, *only, *quick, *write)
	pprof.StopCPUProfile()
	os.Exit(code)
}

func mainErr(ctx context.Context, only string, quick, write bool) int {
	root, err := moduleRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 2
	}
	sz, mode := fullSizes, "full"
	if quick {
		sz, mode = quickSizes, "quick"
	}
	names, err := pick(only)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 2
	}
	m := readMachine()
	started := time.Now()
	results := runSections(ctx, root, sz, names)
	m.LoadEnd = loadAvg()
	report := markdown(m, started, time.Since(started), mode, results)
	fmt.Print(report)
	if write {
		path := filepath.Join(root, "docs", "BENCHMARKS.md")
		if err := os.WriteFile(path, []byte(report+keptNotes(path)), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			return 1
		}
		progress("Wrote %s.", path)
	}
	for _, r := range results {
		if r.Err != nil {
			return 1
		}
	}
	return 0
}

// notesMarker starts the hand-written part of docs/BENCHMARKS.md, which -write keeps.
const notesMarker = "<!-- Everything below this line is written by hand and kept by -write. -->"

// keptNotes returns the hand-written tail of the existing report, or a fresh marker.
func keptNotes(path string) string {
	b, _ := os.ReadFile(path)
	if i := strings.Index(string(b), notesMarker); i >= 0 {
		return "\n" + string(b[i:])
	}
	return "\n" + notesMarker + "\n\n## Where the time goes\n\n(Profile with `go run ./bench -only NAME -cpuprofile cpu.out` and `go tool pprof -top cpu.out`.)\n"
}

// runSections runs the named sections in the order of the table and returns their results.
func runSections(ctx context.Context, root string, sz sizes, names []string) []result {
	e := &env{Root: root, Sz: sz, bins: map[bool]string{}}
	defer func() {
		if e.tmp != "" {
			os.RemoveAll(e.tmp)
		}
		removeLeftovers()
	}()
	var out []result
	for i, s := range sections {
		if !slices.Contains(names, s.Name) {
			continue
		}
		if ctx.Err() != nil {
			break
		}
		progress("Section %s: starting.", s.Name)
		t0 := time.Now()
		r := s.Run(ctx, e)
		r.Num, r.Name = i+1, s.Name
		if r.Err != nil {
			progress("Section %s failed: %v", s.Name, r.Err)
		}
		progress("Section %s: done in %s.", s.Name, time.Since(t0).Round(100*time.Millisecond))
		out = append(out, r)
	}
	return out
}

func sectionNames() string {
	var n []string
	for _, s := range sections {
		n = append(n, s.Name)
	}
	return strings.Join(n, ",")
}

// pick turns -only into section names, refusing unknown ones.
func pick(only string) ([]string, error) {
	if strings.TrimSpace(only) == "" {
		return strings.Split(sectionNames(), ","), nil
	}
	var out []string
	for n := range strings.SplitSeq(only, ",") {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if !strings.Contains(","+sectionNames()+",", ","+n+",") {
			return nil, fmt.Errorf("no section %q; the sections are %s", n, sectionNames())
		}
		out = append(out, n)
	}
	return out, nil
}
