package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// tinySizes make every section finish in a second or two: the test proves the harness works,
// never how fast Lobby is.
var tinySizes = sizes{Batches: 3, BatchSize: 10, BatchClients: 2, Singles: 20, SingleClients: 4, Baseline: 5,
	Paced: 50 * time.Millisecond, ExpireTotal: 2000, ExpireDue: 200, Inviters: 5, Members: 500,
	PageRounds: 1, PageClients: 2, PageSlice: 100 * time.Millisecond, Signups: 2,
	People: 300, PeopleInvites: 600, PeopleCalls: 3, ImportRows: 300, CommitRows: 100, JoinPosts: 8, JoinClients: 4,
	SCIMMembers: 300, SCIMClients: 4, SyncUsers: 40, SyncGroups: 4, GroupSize: 5, SyncClients: 2, Limit: 15 * time.Second}

var firstNumber = regexp.MustCompile(`[0-9][0-9,]*(\.[0-9]+)?`)

// Every section runs against real Lobbies and reports only positive numbers, and the report
// names every section and the machine.
func TestSectionsReportSaneNumbers(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	names, _ := pick("")
	if testing.Short() {
		// memory and binary build the lobby binary; the rest stay in-process.
		names, _ = pick("invites,latency,expire,pages,people,imports,join,scim")
	}
	results := runSections(context.Background(), root, tinySizes, names)
	if len(results) != len(names) {
		t.Fatalf("got %d results for %d sections", len(results), len(names))
	}
	for _, r := range results {
		if r.Err != nil {
			t.Errorf("section %s failed: %v", r.Name, r.Err)
			continue
		}
		if len(r.Rows) < 3 || r.What == "" || r.How == "" {
			t.Errorf("section %s reports %d rows, what %q, how %q", r.Name, len(r.Rows), r.What, r.How)
		}
		for _, x := range r.Rows {
			m := firstNumber.FindString(x.Value)
			v, err := strconv.ParseFloat(strings.ReplaceAll(m, ",", ""), 64)
			if err != nil || (v <= 0 && !x.ZeroOK) {
				t.Errorf("section %s: %s = %q; want a positive number", r.Name, x.Measure, x.Value)
			}
			if x.Target != "" && x.Met == nil {
				t.Errorf("section %s: %s has a target but no verdict", r.Name, x.Measure)
			}
		}
	}
	md := markdown(readMachine(), time.Now(), time.Second, "tiny", results)
	for _, want := range []string{"## Machine", "| CPU |", "| Go | go1.", "## Targets"} {
		if !strings.Contains(md, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	for _, r := range results {
		if !strings.Contains(md, "(`-only "+r.Name+"`)") {
			t.Errorf("the report lacks the section %s", r.Name)
		}
	}
}

func TestPickRefusesUnknownSections(t *testing.T) {
	t.Parallel()
	if got, err := pick(" expire ,pages"); err != nil || strings.Join(got, ",") != "expire,pages" {
		t.Errorf(`pick(" expire ,pages") = %v, %v`, got, err)
	}
	if _, err := pick("expire,nope"); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("pick with an unknown section: %v; want an error naming it", err)
	}
}

func TestPercentilesByNearestRank(t *testing.T) {
	t.Parallel()
	var l latencies
	for i := 1; i <= 100; i++ {
		l = append(l, time.Duration(101-i)*time.Millisecond) // unsorted on purpose
	}
	for p, want := range map[float64]time.Duration{50: 50 * time.Millisecond, 99: 99 * time.Millisecond, 100: 100 * time.Millisecond} {
		if got := l.pct(p); got != want {
			t.Errorf("pct(%v) = %v; want %v", p, got, want)
		}
	}
	if l.max() != 100*time.Millisecond || latencies(nil).pct(99) != 0 {
		t.Errorf("max = %v, empty pct = %v", l.max(), latencies(nil).pct(99))
	}
}

// -write replaces the measured part of docs/BENCHMARKS.md and keeps the hand-written analysis.
func TestWriteKeepsTheHandWrittenNotes(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	if got := keptNotes(path); !strings.HasPrefix(got, "\n"+notesMarker) {
		t.Fatalf("keptNotes of a missing file = %q; want a fresh marker", got)
	}
	notes := notesMarker + "\n\nWhy the expire job is slow.\n"
	if err := os.WriteFile(path, []byte("# old numbers\n\n"+notes), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := keptNotes(path); got != "\n"+notes {
		t.Fatalf("keptNotes = %q; want the notes after the marker", got)
	}
}

// A paced worker keeps to its schedule, and the calls held up by a slow one are timed from when
// they were due, not from when they could go out.
func TestPacedKeepsItsScheduleAndCountsHoldUps(t *testing.T) {
	// One worker at 100 calls/s: calls are due at 0, 10, 20, 30 and 40 ms; the first takes 35 ms.
	r := paced(context.Background(), 1, 5, time.Minute, 100, func(_ context.Context, i int) error {
		if i == 0 {
			time.Sleep(35 * time.Millisecond)
		}
		return nil
	})
	if r.OK != 5 || len(r.Lat) != 5 {
		t.Fatalf("%d calls succeeded, %d timed; want 5", r.OK, len(r.Lat))
	}
	if r.Elapsed < 40*time.Millisecond {
		t.Errorf("5 calls at 100/s took %v; the last is not due before 40 ms", r.Elapsed)
	}
	// The second call, due at 10 ms, went out at 35 ms at the earliest; the third, due at 20 ms, too.
	if r.Lat[1] < 25*time.Millisecond || r.Lat[2] < 15*time.Millisecond {
		t.Errorf("the calls held up by the slow one were timed %v and %v; want at least 25 ms and 15 ms", r.Lat[1], r.Lat[2])
	}
}
