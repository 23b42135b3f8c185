package org_test

import (
	"testing"
	"time"

	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/session"
	"github.com/lobby/lobby/auth/throttle"
)

// TestPurgeRemovesOnlyWhatIsPastItsTime runs the purge job as app.go wires it (30 days of mail
// and job history, the session, throttle and link purgers, default session timeouts) over rows
// on both sides of every limit. Delivered mail and job runs older than 30 days go, and so do
// emails cancelled more than 30 days ago; mail still queued or given up on stays however old
// (a failed email can be sent again from the console). Sessions go once idle for 12 hours or
// past their absolute end; links and throttle windows a day after they expired, were used or
// began.
func TestPurgeRemovesOnlyWhatIsPastItsTime(t *testing.T) {
	f := newFixture(t)
	const keep = 30 * 24 * time.Hour
	f.clock.Add(60 * 24 * time.Hour) // room for rows seeded in the past
	now := f.clock.Now()
	at := func(d time.Duration) int64 { return now.Add(d).UnixMilli() }
	const day = 24 * time.Hour
	f.svc.AddPurger(session.New(f.db, f.clock.Now, 12*time.Hour, 720*time.Hour).Purge)
	f.svc.AddPurger(throttle.New(f.db, f.clock.Now).Purge)
	f.svc.AddPurger(f.svc.PurgeLinks)
	tx := func(fn func(q store.Q) error) {
		t.Helper()
		if err := f.db.Tx(f.ctx, fn); err != nil {
			t.Fatal(err)
		}
	}

	// enqueue queues an email at a given time; a second email for the same invitation id
	// cancels the older queued one, as a resend does.
	enqueue := func(to, invitationID string, created int64) string {
		t.Helper()
		var id string
		tx(func(q store.Q) error {
			var err error
			id, err = store.EnqueueMail(f.ctx, q, store.OutboxMail{OrgID: f.org.ID, InvitationID: invitationID, Template: "invite", To: to}, created)
			return err
		})
		return id
	}
	sent := func(to string, created, delivered int64) string {
		t.Helper()
		id := enqueue(to, "", created)
		if err := f.db.MarkMailSent(f.ctx, id, "<"+id+"@lobby>", []byte("{}"), delivered); err != nil {
			t.Fatal(err)
		}
		return id
	}
	mailGone := map[string]string{
		"sent 31 days ago":           sent("a@example.com", at(-40*day), at(-31*day)),
		"sent just over 30 days ago": sent("b@example.com", at(-40*day), at(-keep-time.Minute)),
	}
	mailKept := map[string]string{
		"sent just under 30 days ago":           sent("c@example.com", at(-40*day), at(-keep+time.Minute)),
		"sent an hour ago after 40 days queued": sent("d@example.com", at(-40*day), at(-time.Hour)),
		"queued 40 days ago":                    enqueue("e@example.com", "", at(-40*day)),
	}
	failed := enqueue("f@example.com", "", at(-40*day))
	if err := f.db.MarkMailFailed(f.ctx, failed, "550 no such user", []byte("{}"), at(-39*day)); err != nil {
		t.Fatal(err)
	}
	mailKept["failed 39 days ago"] = failed
	oldInv, newInv := store.NewID(), store.NewID()
	mailGone["cancelled, made 31 days ago"] = enqueue("g@example.com", oldInv, at(-31*day))
	mailKept["queued after a resend 31 days ago"] = enqueue("g@example.com", oldInv, at(-31*day))
	mailKept["cancelled, made 29 days ago"] = enqueue("h@example.com", newInv, at(-29*day))
	mailKept["queued after a resend 29 days ago"] = enqueue("h@example.com", newInv, at(-29*day))
	if n := f.count(`SELECT count(*) FROM outbox WHERE status = 'cancelled'`); n != 2 {
		t.Fatalf("%d cancelled emails seeded, want 2", n)
	}

	// Job runs.
	run := func(started int64) string {
		t.Helper()
		r := store.JobRun{ID: store.NewID(), Name: "expire", Holder: "test", StartedAt: started, Result: "ok"}
		if err := f.db.RecordJobRun(f.ctx, r); err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	runsGone := map[string]string{"started 31 days ago": run(at(-31 * day))}
	runsKept := map[string]string{"started 29 days ago": run(at(-29 * day))}

	// Sessions.
	sess := func(name string, lastSeen, expires int64) string {
		t.Helper()
		s := store.Session{IDHash: name, UserID: f.owner.UserID, Data: "{}", CreatedAt: at(-10 * day), LastSeenAt: lastSeen, ExpiresAt: expires}
		tx(func(q store.Q) error { return store.CreateSession(f.ctx, q, s) })
		return name
	}
	sessionsGone := []string{
		sess("past its absolute end though seen a minute ago", at(-time.Minute), at(-time.Second)),
		sess("idle 13 hours", at(-13*time.Hour), at(20*day)),
	}
	sessionsKept := []string{
		sess("seen 11 hours ago", at(-11*time.Hour), at(20*day)),
	}

	// Password reset links stand for every kind of link token.
	link := func(name string, expires int64, used int64) string {
		t.Helper()
		tx(func(q store.Q) error {
			err := store.CreateLinkToken(f.ctx, q, store.LinkToken{TokenHash: name, Kind: "reset", EmailNorm: "alice@acme.test",
				ExpiresAt: expires, CreatedAt: at(-10 * day)})
			if err != nil || used == 0 {
				return err
			}
			return store.UseLinkToken(f.ctx, q, "reset", name, used)
		})
		return name
	}
	linksGone := []string{
		link("expired 25 hours ago", at(-25*time.Hour), 0),
		link("used 25 hours ago", at(5*day), at(-25*time.Hour)),
	}
	linksKept := []string{
		link("expired 23 hours ago", at(-23*time.Hour), 0),
		link("used 23 hours ago", at(5*day), at(-23*time.Hour)),
		link("unused and live", at(time.Hour), 0),
	}

	// Throttle windows.
	hit := func(key string, start int64) string {
		t.Helper()
		tx(func(q store.Q) error {
			_, err := store.Hit(f.ctx, q, key, start, time.Hour.Milliseconds())
			return err
		})
		return key
	}
	hitsGone := []string{hit("began 25 hours ago", at(-25*time.Hour))}
	hitsKept := []string{hit("began 23 hours ago", at(-23*time.Hour))}

	summary, err := f.svc.Purge(f.ctx, keep)
	if err != nil {
		t.Fatal(err)
	}
	const want = "purged 3 sent emails, 1 job runs and 5 expired sessions or links"
	if summary != want {
		t.Errorf("summary %q, want %q", summary, want)
	}

	check := func(what, query string, ids map[string]string, wantLeft int) {
		t.Helper()
		for name, id := range ids {
			if n := f.count(query, id); n != wantLeft {
				t.Errorf("%s %s: %d left, want %d", what, name, n, wantLeft)
			}
		}
	}
	named := func(names []string) map[string]string {
		m := map[string]string{}
		for _, n := range names {
			m[n] = n
		}
		return m
	}
	const (
		outboxQ   = `SELECT count(*) FROM outbox WHERE id = ?`
		runsQ     = `SELECT count(*) FROM job_runs WHERE id = ?`
		sessionsQ = `SELECT count(*) FROM sessions WHERE id_hash = ?`
		linksQ    = `SELECT count(*) FROM link_tokens WHERE token_hash = ?`
		hitsQ     = `SELECT count(*) FROM throttle WHERE key = ?`
	)
	check("email", outboxQ, mailGone, 0)
	check("email", outboxQ, mailKept, 1)
	check("job run", runsQ, runsGone, 0)
	check("job run", runsQ, runsKept, 1)
	check("session", sessionsQ, named(sessionsGone), 0)
	check("session", sessionsQ, named(sessionsKept), 1)
	check("link", linksQ, named(linksGone), 0)
	check("link", linksQ, named(linksKept), 1)
	check("throttle window", hitsQ, named(hitsGone), 0)
	check("throttle window", hitsQ, named(hitsKept), 1)

	// The failed email kept is still one an admin can send again.
	if err := f.svc.RetryMail(f.ctx, f.admin, failed); err != nil {
		t.Fatalf("retrying the failed email after the purge: %v", err)
	}
}
