package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Preparing a statement must leave Go's garbage collector nothing to trip on. SQLite reports
// where a statement ends as a pointer into the SQL; for SQL that fills its heap object, that
// is the address just past it, which is the next object in Go's heap. Held in a Go variable,
// the collector took it for a reference: it marked the neighbour, free or not, and the process
// died with "found pointer to free object" (seen about once in forty runs of the SCIM tests).
//
// The child prepares SQL that fills its object exactly while other goroutines keep the
// collector busy, under GODEBUG=gccheckmark=1, which checks after every collection that
// nothing reachable was missed; a pointer past the end fails that check or the sweep's.
func TestPrepareLeavesTheCollectorNoStrayPointer(t *testing.T) {
	if path := os.Getenv("LOBBY_GC_CHILD"); path != "" {
		if err := prepareUnderCollection(path, 3*time.Second); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if testing.Short() {
		t.Skip("a three-second stress of the collector; not in -short runs")
	}
	cmd := child(t, t.Name(), "LOBBY_GC_CHILD", filepath.Join(t.TempDir(), "g.db"))
	cmd.Env = append(cmd.Env, "GODEBUG="+strings.Trim(os.Getenv("GODEBUG")+",gccheckmark=1", ","), "GOGC=5", "GOTRACEBACK=single")
	cmd.Args = append(cmd.Args, "-test.v")
	out, err := cmd.CombinedOutput()
	if err == nil && !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		err = fmt.Errorf("it did not run the test")
	}
	if err != nil {
		lines := strings.Split(string(out), "\n")
		t.Fatalf("the child preparing statements under a busy collector failed (%v):\n%s", err,
			strings.Join(lines[:min(len(lines), 30)], "\n"))
	}
}

// prepareUnderCollection prepares, on four connections at once, statements whose SQL fills
// its heap object exactly (each text new, so each is prepared), for d.
func prepareUnderCollection(path string, d time.Duration) error {
	sizes := []int{48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256}
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := range 4 {
		c, err := Open(path)
		if err != nil {
			return err
		}
		defer c.Close()
		wg.Go(func() {
			for i := 0; time.Now().Before(stop); i++ {
				n := sizes[i%len(sizes)]
				head := fmt.Sprintf("SELECT '%d-%d", w, i)
				sql := string(append([]byte(head), strings.Repeat("x", n-len(head)-1)+"'"...))
				s, _, err := prepare(c.db, sql, false)
				if err != nil {
					errs <- err
					return
				}
				s.free()
			}
		})
	}
	// Garbage of the same sizes, so that the object after an SQL text is often free.
	wg.Go(func() {
		var keep [][]byte
		for i := 0; time.Now().Before(stop); i++ {
			b := make([]byte, sizes[i%len(sizes)])
			if i%7 == 0 {
				keep = append(keep, b)
			}
			if len(keep) > 1000 {
				keep = keep[:0]
			}
		}
	})
	wg.Wait()
	close(errs)
	return <-errs
}
