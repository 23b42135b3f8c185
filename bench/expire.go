package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// benchExpire times the expire job on a large database while a writer keeps inviting.
func benchExpire(ctx context.Context, e *env) result {
	sz := e.Sz
	r := result{Title: "Expire job on a large database",
		What: fmt.Sprintf("how long `Service.ExpireDue` takes to expire %s due invitations among %s, and how long single "+
			"invitation writes wait meanwhile.", num(float64(sz.ExpireDue)), num(float64(sz.ExpireTotal))),
		How: fmt.Sprintf("a fresh in-process Lobby whose organization, roles and token come from `org`; the invitations are "+
			"seeded with direct SQL through `db.Tx` (multi-row `INSERT … SELECT` from a counter, %s rows per transaction), "+
			"sent by %d inviters. Two layouts, each on a fresh Lobby: the due invitations are the oldest rows (as when "+
			"invitations expire in the order they were sent, or a large import expires at once), or 1 row in %d, spread "+
			"among live ones (the worst case: almost every due row on a page of its own). A writer calls "+
			"`Service.Invite` with one new address and "+
			"`notify: true` (what one `POST /api/v1/invitations` does) in a loop, first alone for a baseline, then while the "+
			"job runs (which starts once the first of those writes is in flight); each write's latency is recorded. The job expires in transactions (chunks) whose size adapts: the "+
			"first has %d rows, each next one is sized from how long the one before took, COMMIT included, to last "+
			"about 4 ms; then it queues one digest mail per inviter. First the disk is timed (writing %d MiB to the temporary "+
			"folder in 1 MiB writes, then fsync); for each job, the bytes this process caused to be written to disk meanwhile are "+
			"counted (`write_bytes` in /proc/self/io).", num(seedChunk), sz.Inviters,
			sz.ExpireTotal/max(sz.ExpireDue, 1), org.ExpireChunk, diskTestSize(sz)>>20)}
	// Every page the job changes goes to disk twice (log, then database file): the disk's speed
	// bounds how fast the job can go when it changes many pages.
	size := diskTestSize(sz)
	speed, err := diskSpeed(os.TempDir(), size)
	if err != nil {
		r.Err = fmt.Errorf("timing the disk: %w", err)
		return r
	}
	r.add(fmt.Sprintf("Disk: writing %d MiB to the temporary folder in 1 MiB writes and syncing it (not a target)", size>>20),
		fmt.Sprintf("%s MB/s", num(speed/1e6)))
	for _, spread := range []bool{false, true} {
		if err := expireLayout(ctx, e, &r, spread, speed); err != nil {
			r.Err = err
			break
		}
	}
	r.note("A write that arrives during the job waits for the expire transaction in progress (all writes share one " +
		"connection), so its latency is at least what is left of one chunk.")
	return r
}

// diskTestSize is how many bytes the expire section writes to time the disk: 2.5 KiB for each
// due invitation, in whole MiB.
func diskTestSize(sz sizes) int { return max(sz.ExpireDue*2560>>20, 1) << 20 }

// expireLayout seeds a fresh Lobby with the due invitations the oldest or spread, runs the
// job with the writer and adds the rows of that layout to r.
func expireLayout(ctx context.Context, e *env, r *result, spread bool, diskSpeed float64) error {
	sz := e.Sz
	layout := "due are the oldest"
	if spread {
		layout = fmt.Sprintf("due are 1 row in %d, spread", sz.ExpireTotal/max(sz.ExpireDue, 1))
	}
	label := func(measure string) string { return layout + ": " + measure }
	l, err := startLobby(ctx, e.Root, nil)
	if err != nil {
		return err
	}
	defer l.Close()
	a, err := l.actor(ctx)
	if err != nil {
		return err
	}
	member, err := roleID(ctx, l.App.DB, l.Org.ID, org.RoleMember)
	if err != nil {
		return err
	}
	t0 := time.Now()
	if err := seedInvitations(ctx, l.App.DB, l.Org.ID, member, sz, spread, l.App.Org.Now().UnixMilli()); err != nil {
		return fmt.Errorf("seeding: %w", err)
	}
	seedTook := time.Since(t0)
	r.add(label("Seeding (not a target)"), fmt.Sprintf("%s rows in %s (%s rows/s)", num(float64(sz.ExpireTotal)),
		seedTook.Round(100*time.Millisecond), num(float64(sz.ExpireTotal)/seedTook.Seconds())))

	write := func(ctx context.Context, i int) error {
		_, err := l.App.Org.Invite(ctx, a, org.InviteRequest{Emails: []string{fmt.Sprintf("w%d@writer.example", i)}, Notify: true})
		return err
	}
	progress("expire, %s: baseline writes for 1 s.", layout)
	base := writer(ctx, write, 0, time.Second, nil, nil)
	progress("expire, %s: running the job with the writer.", layout)
	stop := make(chan struct{})
	var during run
	var wg sync.WaitGroup
	wg.Add(1)
	started := make(chan struct{})
	go func() { defer wg.Done(); during = writer(ctx, write, 1_000_000, sz.Limit, stop, started) }()
	<-started // the job starts with the first write in flight, however short it is
	jctx, cancel := context.WithTimeout(ctx, sz.Limit)
	written, werr := storageWrites()
	t1, cpu := time.Now(), readSched()
	summary, jerr := l.App.Org.ExpireDue(jctx)
	took := time.Since(t1)
	after, werr2 := storageWrites()
	cpuUse := cpu.since(took)
	cancel()
	close(stop)
	wg.Wait()
	if jerr != nil {
		return fmt.Errorf("ExpireDue (%s): %s: %w", layout, summary, jerr)
	}
	progress("expire, %s: %s in %s.", layout, summary, took.Round(time.Millisecond))
	expired, err1 := count(ctx, l.App.DB, `SELECT count(*) FROM invitations WHERE status = 'expired'`)
	digests, err2 := count(ctx, l.App.DB, `SELECT count(*) FROM outbox WHERE template = 'expired_notice'`)
	if err := firstErr(err1, err2); err != nil {
		return err
	}
	r.target(label("ExpireDue, whole run"), took.Round(time.Millisecond).String(), "< 2 s", took < 2*time.Second)
	r.add(label("Invitations expired / digest mails queued"), fmt.Sprintf("%s / %s", num(float64(expired)), num(float64(digests))))
	r.add(label("Expired per second"), num(float64(expired)/took.Seconds()))
	r.add(label("This process during the job (job, writer, mail sender)"), cpuUse)
	if werr = errors.Join(werr, werr2); werr != nil {
		return werr
	}
	wrote := float64(after - written)
	r.add(label("Written to disk by this process during the job (log and database file), and the least time the disk needs for it"),
		fmt.Sprintf("%.1f MiB, %s", wrote/(1<<20), msf(time.Duration(wrote/diskSpeed*float64(time.Second)))))
	var done, chunks int
	if _, err := fmt.Sscanf(summary, "expired %d invitations in %d transactions", &done, &chunks); err != nil || chunks == 0 {
		return fmt.Errorf("ExpireDue's summary %q does not say how many transactions it ran", summary)
	}
	r.add(label("Transactions: how many, rows in each on average, time each on average"),
		fmt.Sprintf("%d, %d, %s", chunks, done/chunks, msf(took/time.Duration(chunks))))
	r.add(label("Writer alone: writes, p50 / p99 / max"), fmt.Sprintf("%d, %s / %s / %s", base.OK, msf(base.Lat.pct(50)),
		msf(base.Lat.pct(99)), msf(base.Lat.max())))
	r.add(label("Writer during the job: writes, p50"), fmt.Sprintf("%d, %s", during.OK, msf(during.Lat.pct(50))))
	p99, worst := during.Lat.pct(99), during.Lat.max()
	r.target(label("Writer during the job: p99"), msf(p99), "< 50 ms", p99 < 50*time.Millisecond)
	r.target(label("Writer during the job: longest single write"), msf(worst), "< 50 ms", worst < 50*time.Millisecond)
	r.add(label("Ratio of p99, during the job / alone"), ratio(float64(p99), float64(base.Lat.pct(99))))
	var big latencies
	for k := range 3 {
		emails := make([]string, 100)
		for i := range emails {
			emails[i] = fmt.Sprintf("b%d-%d@batch.example", k, i)
		}
		t0 := time.Now()
		if _, err := l.App.Org.Invite(ctx, a, org.InviteRequest{Emails: emails, Notify: true}); err != nil {
			return err
		}
		big = append(big, time.Since(t0))
	}
	r.add(label(fmt.Sprintf("After the job: one `Invite` of 100 new addresses into this organization of %s pending (median of 3)",
		num(float64(sz.ExpireTotal-sz.ExpireDue)))), msf(big.pct(50)))
	r.note("%s", failure(base))
	r.note("%s", failure(during))
	if expired != int64(sz.ExpireDue) {
		return fmt.Errorf("%s: expected %d expired invitations, found %d", layout, sz.ExpireDue, expired)
	}
	return nil
}

// writer calls write one after another until stop closes, limit passes or count calls are done
// (count 0: no bound but time), and records each call's latency. It closes started, if given,
// just before its first call.
func writer(ctx context.Context, write func(context.Context, int) error, count int, limit time.Duration,
	stop <-chan struct{}, started chan<- struct{}) run {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	begin := func() {
		if started != nil {
			close(started)
			started = nil
		}
	}
	defer begin() // also when no call was made
	var out run
	start := time.Now()
	for i := 0; (count == 0 || i < count) && ctx.Err() == nil; i++ {
		select {
		case <-stop:
			out.Elapsed = time.Since(start)
			return out
		default:
		}
		begin()
		t0 := time.Now()
		err := write(ctx, writerBase+i)
		switch {
		case err == nil:
			out.OK++
			out.Lat = append(out.Lat, time.Since(t0))
		case ctx.Err() == nil:
			out.Failed++
			if out.Err == nil {
				out.Err = err
			}
		}
	}
	out.Elapsed = time.Since(start)
	return out
}

// writerBase keeps the addresses of consecutive writer runs apart.
var writerBase = int(time.Now().UnixNano() % 1_000_000_000)

// seedChunk is how many invitations one seeding transaction inserts.
const seedChunk = 100_000

// seedInvitations inserts sz.Inviters people and sz.ExpireTotal pending invitations sent by
// them, of which sz.ExpireDue expired an hour or more ago: the first ones (the oldest), or with
// spread every (total/due)-th one. Ids sort before any UUIDv7 Lobby makes, so the seeded rows
// look older than everything else.
func seedInvitations(ctx context.Context, db *store.DB, orgID, roleID string, sz sizes, spread bool, now int64) error {
	err := db.Tx(ctx, func(q store.Q) error {
		_, err := q.ExecContext(ctx, `WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < ?)
INSERT INTO users (id, email, email_norm, name, email_verified_at, created_at)
SELECT printf('00000000-0000-7000-9000-%012d', n), printf('inviter%d@expire.example', n),
 printf('inviter%d@expire.example', n), printf('Inviter %d', n), ?, ? FROM seq`, sz.Inviters-1, now, now)
		return err
	})
	if err != nil {
		return err
	}
	step := sz.ExpireTotal / max(sz.ExpireDue, 1)
	const day = 24 * 3600 * 1000
	// Due rows expired an hour ago and before, in the order of their ids when they are the oldest.
	due, dueArgs := `n < ?`, []any{sz.ExpireDue, now, sz.ExpireDue}
	expiry := `? - 3600000 - (? - n)`
	if spread {
		due, dueArgs, expiry = `n % ? = 0`, []any{step, now}, `? - 3600000 - n`
	}
	for from := 0; from < sz.ExpireTotal; from += seedChunk {
		to := min(from+seedChunk, sz.ExpireTotal) - 1
		err := db.Tx(ctx, func(q store.Q) error {
			_, err := q.ExecContext(ctx, `WITH RECURSIVE seq(n) AS (SELECT ? UNION ALL SELECT n + 1 FROM seq WHERE n < ?)
INSERT INTO invitations (id, org_id, email, email_norm, role_id, token_hash, status, kind, invited_by, expires_at,
 sent_at, send_count, delivery_status, created_at, updated_at)
SELECT printf('00000000-0000-7000-8000-%012d', n), ?, printf('seed%07d@expire.example', n),
 printf('seed%07d@expire.example', n), ?, printf('%064d', n), 'pending', 'invite',
 printf('00000000-0000-7000-9000-%012d', (n / ?) % ?),
 CASE WHEN `+due+` THEN `+expiry+` ELSE ? + n END, ?, 1, 'sent', ?, ?
FROM seq`, append(append([]any{from, to, orgID, roleID, step, sz.Inviters}, dueArgs...), now+7*day, now-day, now-8*day, now-day)...)
			return err
		})
		if err != nil {
			return err
		}
		progress("expire: seeded %s of %s invitations.", num(float64(to+1)), num(float64(sz.ExpireTotal)))
	}
	return nil
}
