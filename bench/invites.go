package main

import (
	"context"
	"fmt"
	"time"
)

// benchInvites measures invitations created per second through POST /api/v1/invitations in
// batches, from one client and from several at once.
func benchInvites(ctx context.Context, e *env) result {
	sz := e.Sz
	r := result{Title: "Invitations per second through the API",
		What: fmt.Sprintf("invitations created per second by `POST /api/v1/invitations` with batches of %d new addresses, "+
			"`notify: true` (so every invitation also writes its outbox row and audit row), from 1 client and from %d clients at once.",
			sz.BatchSize, sz.BatchClients),
		How: fmt.Sprintf("a fresh in-process Lobby; %d batches sent one after another, then %d more batches shared by %d "+
			"keep-alive clients. Each answer must be 201 with every address created. Rate = addresses created / wall time. "+
			"The mail sender runs as in production and writes the queued mail as .eml files meanwhile, sharing the one writer connection.",
			sz.Batches, sz.Batches, sz.BatchClients)}
	l, err := startLobby(ctx, e.Root, nil)
	if err != nil {
		r.Err = err
		return r
	}
	defer l.Close()
	batch := func(prefix string) func(ctx context.Context, i int) error {
		return func(ctx context.Context, i int) error {
			emails := make([]string, sz.BatchSize)
			for k := range emails {
				emails[k] = fmt.Sprintf("%s-%d-%d@invites.example", prefix, i, k)
			}
			return l.invite(ctx, emails)
		}
	}
	progress("invites: %d batches of %d from 1 client.", sz.Batches, sz.BatchSize)
	cpu := readSched()
	seq := hammer(ctx, 1, sz.Batches, sz.Limit, batch("seq"))
	progress("invites: %d batches of %d from %d clients.", sz.Batches, sz.BatchSize, sz.BatchClients)
	conc := hammer(ctx, sz.BatchClients, sz.Batches, sz.Limit, batch("conc"))
	cpuUse := cpu.since(seq.Elapsed + conc.Elapsed)
	const goal = 20_000.0
	s1, s4 := seq.perSec(sz.BatchSize), conc.perSec(sz.BatchSize)
	r.target("Invitations/s, 1 client", num(s1), "≥ 20,000/s", s1 >= goal)
	r.target(fmt.Sprintf("Invitations/s, %d clients", sz.BatchClients), num(s4), "≥ 20,000/s", s4 >= goal)
	r.add(fmt.Sprintf("Ratio %d clients / 1 client", sz.BatchClients), ratio(s4, s1))
	if warm := min(len(seq.Lat), 50); warm < len(seq.Lat) {
		// One client sends one batch at a time, so its first batches' rate is theirs alone.
		var took time.Duration
		for _, d := range seq.Lat[:warm] {
			took += d
		}
		r.add(fmt.Sprintf("Invitations/s, 1 client, its first %d batches alone (a fresh database warming up; "+
			"from their own times, not wall time)", warm),
			num(float64(warm*sz.BatchSize)/took.Seconds()))
	}
	r.add(fmt.Sprintf("Batch of %d, p50 / p99 (1 client)", sz.BatchSize), msf(seq.Lat.pct(50))+" / "+msf(seq.Lat.pct(99)))
	r.add(fmt.Sprintf("Batch of %d, p50 / p99 (%d clients)", sz.BatchSize, sz.BatchClients),
		msf(conc.Lat.pct(50))+" / "+msf(conc.Lat.pct(99)))
	r.add("This process (server and clients) during both runs", cpuUse)
	r.add("Batches that succeeded", fmt.Sprintf("%d + %d of %d + %d", seq.OK, conc.OK, sz.Batches, sz.Batches))
	inv, err1 := count(ctx, l.App.DB, `SELECT count(*) FROM invitations WHERE org_id = ?`, l.Org.ID)
	mail, err2 := count(ctx, l.App.DB, `SELECT count(*) FROM outbox WHERE template = 'invite'`)
	sent, err3 := sentInvites(ctx, l)
	if err := firstErr(err1, err2, err3); err != nil {
		r.Err = err
		return r
	}
	r.add("Invitation rows / outbox rows written", fmt.Sprintf("%s / %s", num(float64(inv)), num(float64(mail))))
	r.Rows = append(r.Rows, row{Measure: "Of those, mails the sender had delivered to files by the end",
		Value: num(float64(sent)), ZeroOK: true})
	r.note("%s", failure(seq))
	r.note("%s", failure(conc))
	if int64(seq.OK+conc.OK)*int64(sz.BatchSize) != inv || inv != mail {
		r.Err = fmt.Errorf("expected %d invitations each with an outbox row; found %d invitations and %d outbox rows",
			(seq.OK+conc.OK)*sz.BatchSize, inv, mail)
	}
	return r
}

// pacedRates are the rates, in requests per second from all clients together, at which the
// latency section's clients also send on a schedule.
var pacedRates = []float64{1000, 2000}

// benchLatency measures single-invitation API latency under many concurrent clients.
func benchLatency(ctx context.Context, e *env) result {
	sz := e.Sz
	r := result{Title: "Single-invitation API latency",
		What: fmt.Sprintf("the latency of `POST /api/v1/invitations` with one new address and `notify: true`, with %d clients "+
			"at once, and the requests per second they reach.", sz.SingleClients),
		How: fmt.Sprintf("a fresh in-process Lobby; first %d requests from 1 client (the uncontended baseline); for %s, %d "+
			"clients call `GET /healthz`, which does no work: the latency this machine adds to any request at that "+
			"concurrency; then, for %s at each rate, the clients send 1,000 and then 2,000 requests per second in all, each "+
			"on a fixed schedule (a request held up by the one before it is timed from when it was due); then %s requests "+
			"shared by the same keep-alive clients as fast as answers come. Each request invites one new address. Latency "+
			"is measured at the client, from sending the request to reading the whole answer, which must be 201. Every "+
			"write queues behind the single writer connection, so under load latency ≈ queue length × one transaction.",
			sz.Baseline, sz.PageSlice, sz.SingleClients, sz.Paced, num(float64(sz.Singles)))}
	l, err := startLobby(ctx, e.Root, nil)
	if err != nil {
		r.Err = err
		return r
	}
	defer l.Close()
	one := func(prefix string) func(ctx context.Context, i int) error {
		return func(ctx context.Context, i int) error {
			return l.invite(ctx, []string{fmt.Sprintf("%s-%d@latency.example", prefix, i)})
		}
	}
	progress("latency: %d requests from 1 client.", sz.Baseline)
	base := hammer(ctx, 1, sz.Baseline, sz.Limit, one("base"))
	progress("latency: GET /healthz from %d clients.", sz.SingleClients)
	floor := hammer(ctx, sz.SingleClients, 1<<30, sz.PageSlice, healthz(l).Call)
	// Before the clients go as fast as they can, they send on a schedule: as a busy organization
	// would, at rates this machine sustains with every email delivered too.
	var calm []run
	calmOK, calmWant := 0, 0
	for _, rate := range pacedRates {
		progress("latency: %s requests/s from %d clients, evenly spaced.", num(rate), sz.SingleClients)
		n := int(rate * sz.Paced.Seconds())
		c := paced(ctx, sz.SingleClients, n, sz.Limit, rate, one(fmt.Sprintf("paced%d", int(rate))))
		calm, calmOK, calmWant = append(calm, c), calmOK+c.OK, calmWant+n
	}
	calmSent, err := sentInvites(ctx, l)
	if err != nil {
		r.Err = err
		return r
	}
	progress("latency: %d requests from %d clients.", sz.Singles, sz.SingleClients)
	cpu := readSched()
	load := hammer(ctx, sz.SingleClients, sz.Singles, sz.Limit, one("load"))
	cpuUse := cpu.since(load.Elapsed)
	p99 := load.Lat.pct(99)
	r.add("1 client: p50 / p99", msf(base.Lat.pct(50))+" / "+msf(base.Lat.pct(99)))
	r.add("1 client: requests/s", num(base.perSec(1)))
	r.add(fmt.Sprintf("`GET /healthz` (does nothing), %d clients: requests/s (p50 / p99), not a target", sz.SingleClients),
		rateRow(floor))
	for i, c := range calm {
		r.add(fmt.Sprintf("%d clients sending %s requests/s in all, evenly spaced: p50 / p99 (not a target)", sz.SingleClients,
			num(pacedRates[i])), msf(c.Lat.pct(50))+" / "+msf(c.Lat.pct(99)))
	}
	r.Rows = append(r.Rows, row{Measure: "Of the emails of the requests so far, delivered to files when the last evenly spaced answer came",
		Value: fmt.Sprintf("%s of %s", num(float64(calmSent)), num(float64(base.OK+calmOK))), ZeroOK: true})
	r.add(fmt.Sprintf("%d clients: p50", sz.SingleClients), msf(load.Lat.pct(50)))
	r.add(fmt.Sprintf("%d clients: p90", sz.SingleClients), msf(load.Lat.pct(90)))
	r.target(fmt.Sprintf("%d clients: p99", sz.SingleClients), msf(p99), "< 10 ms", p99 < 10*time.Millisecond)
	r.add(fmt.Sprintf("%d clients: max", sz.SingleClients), msf(load.Lat.max()))
	r.add(fmt.Sprintf("%d clients: requests/s", sz.SingleClients), num(load.perSec(1)))
	r.add(fmt.Sprintf("Ratio of requests/s, %d clients / 1 client", sz.SingleClients), ratio(load.perSec(1), base.perSec(1)))
	r.add("Requests that succeeded (1 client, evenly spaced, as fast as they can)", fmt.Sprintf("%d + %d + %d of %d + %d + %d",
		base.OK, calmOK, load.OK, sz.Baseline, calmWant, sz.Singles))
	r.add(fmt.Sprintf("This process (server and clients) during the %d-client run", sz.SingleClients), cpuUse)
	// The sender works beside the requests and yields to them: say how far behind it was.
	sent, err := sentInvites(ctx, l)
	if err != nil {
		r.Err = err
		return r
	}
	r.Rows = append(r.Rows, row{Measure: "Of the invitations' emails, delivered to files when the last answer came",
		Value: fmt.Sprintf("%s of %s", num(float64(sent)), num(float64(base.OK+calmOK+load.OK))), ZeroOK: true})
	r.note("At the set rates the mail sender keeps up, so the machine also renders and writes each request's email while " +
		"answering; as fast as answers come it falls behind (it lets requests go first), which is how the clients reach " +
		"more requests per second there than at the set rates.")
	if rps := load.perSec(1); rps > 0 {
		r.note("By Little's law, %d requests in flight at %s requests/s spend %s each on average, whatever the code does; "+
			"a p99 under 10 ms at this concurrency needs well over %s requests/s (the rate at which the average is 10 ms).", sz.SingleClients, num(rps),
			msf(time.Duration(float64(sz.SingleClients)/rps*float64(time.Second))), num(float64(sz.SingleClients)/0.010))
	}
	r.note("%s", failure(base))
	r.note("%s", failure(load))
	for _, c := range calm {
		r.note("%s", failure(c))
	}
	r.note("%s", failure(floor))
	if load.OK == 0 || base.OK == 0 || floor.OK == 0 || calmOK == 0 {
		r.Err = fmt.Errorf("no request succeeded: %v %v", base.Err, load.Err)
	}
	return r
}

// firstErr returns the first non-nil error.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// elapsedSince is time.Since rounded for the report.
func elapsedSince(t time.Time) time.Duration { return time.Since(t).Round(time.Millisecond) }

// sentInvites counts the invitation emails the sender has delivered so far.
func sentInvites(ctx context.Context, l *lobby) (int64, error) {
	return count(ctx, l.App.DB, `SELECT count(*) FROM outbox WHERE template = 'invite' AND status = 'sent'`)
}
