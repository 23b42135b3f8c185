package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// An import that Lobby was reading or committing when it stopped says so, once it has made no
// progress for a minute, instead of "updates by itself" for ever: a file not read to the end
// can be cancelled, a commit continued. One still making progress keeps following it.
func TestConsoleImportStoppedPartWaySaysSoAndOffersTheWayOn(t *testing.T) {
	s := newSite(t)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	now := s.clock.Now().UnixMilli()
	put := func(status string, touched int64) string {
		id := store.NewID()
		counts := fmt.Sprintf(`{"rows":76,"outcomes":{},"total":40,"done":15,"sent":0,"resend_existing":false,"create_teams":false,"touched":%d}`, touched)
		if err := s.db.Tx(context.Background(), func(q store.Q) error {
			return store.CreateImport(context.Background(), q, store.Import{ID: id, OrgID: s.org.ID, Filename: "people.csv",
				Status: status, Counts: counts, CreatedAt: now})
		}); err != nil {
			t.Fatal(err)
		}
		return "/console/acme/imports/" + id
	}
	stale := now - (2 * time.Minute).Milliseconds()

	p := a.get(put("reading", now))
	p.mustContain(t, "Reading the file: 76 rows so far.", "This page updates by itself")
	if p.header.Get("Refresh") == "" || strings.Contains(p.body, "Cancel this import") {
		t.Fatalf("a file being read: refresh %q\n%s", p.header.Get("Refresh"), p.body)
	}

	reading := put("reading", stale)
	p = a.get(reading)
	p.mustContain(t, "Reading this file stopped part-way, after 76 rows, because Lobby was stopped or restarted.",
		"cancel it and upload the file again", "Cancel this import", ">Stopped</span>")
	if p.header.Get("Refresh") != "" || strings.Contains(p.body, "updates by itself") {
		t.Fatalf("a stopped read still follows itself:\n%s", p.body)
	}
	c := a.post(reading + "/cancel")
	if c.status != 303 {
		t.Fatalf("cancel: %d %s", c.status, c.body)
	}
	a.get(reading).mustContain(t, "Cancelled")

	p = a.get(put("committing", stale))
	p.mustContain(t, "Creating the invitations stopped part-way, after 15 of 40 rows, because Lobby was stopped or restarted.",
		"Continue creates the rest", ">Continue</button>")
	if p.header.Get("Refresh") != "" {
		t.Fatal("a stopped commit still refreshes the page")
	}
	a.get(put("committing", now)).mustContain(t, "Working: 15 of 40 rows done. This page updates by itself")
	// The history marks the stopped one so (the stopped read was cancelled), the running ones as working and reading.
	list := a.get("/console/acme/imports").body
	if strings.Count(list, ">Stopped</span>") != 1 || strings.Count(list, ">Working</span>") != 1 || strings.Count(list, ">Reading</span>") != 1 {
		t.Fatalf("the history's chips:\n%s", list)
	}
}
