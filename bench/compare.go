package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// endpoint is one thing compare measures: a name for the report and one call, which returns
// an error unless the answer was the right one. The call gets its index among all calls.
type endpoint struct {
	Name string
	Call func(ctx context.Context, i int) error
}

// compare gives every endpoint in turn slice of the time of clients callers, rounds times, so
// that noise on the shared machine hits all of them alike; it returns each endpoint's totals.
func compare(ctx context.Context, label string, eps []endpoint, rounds, clients int, slice time.Duration) []run {
	totals := make([]run, len(eps))
	next := make([]int, len(eps))
	for round := range rounds {
		progress("%s: round %d of %d.", label, round+1, rounds)
		for k, ep := range eps {
			base := next[k]
			got := hammer(ctx, clients, 1<<30, slice, func(ctx context.Context, i int) error { return ep.Call(ctx, base+i) })
			next[k] += got.OK + got.Failed
			totals[k] = merge(totals[k], got)
		}
	}
	return totals
}

// merge adds one run's counts, time and latencies to another's.
func merge(a, b run) run {
	a.OK, a.Failed, a.Elapsed = a.OK+b.OK, a.Failed+b.Failed, a.Elapsed+b.Elapsed
	a.Lat = append(a.Lat, b.Lat...)
	if a.Err == nil {
		a.Err = b.Err
	}
	return a
}

// expect turns an answer into an error unless it has the status and the body contains want.
func expect(what string, code int, body []byte, err error, status int, want string) error {
	switch {
	case err != nil:
		return fmt.Errorf("%s: %w", what, err)
	case code != status:
		return fmt.Errorf("%s answered %d, want %d: %.300s", what, code, status, body)
	case want != "" && !strings.Contains(string(body), want):
		return fmt.Errorf("%s answered %d without %q: %.300s", what, code, want, body)
	}
	return nil
}

// healthz is the bare endpoint every throughput is compared with.
func healthz(l *lobby) endpoint {
	return endpoint{"`GET /healthz`", func(ctx context.Context, _ int) error {
		code, body, err := fetch(ctx, l.Load, "GET", l.Base+"/healthz", "")
		return expect("GET /healthz", code, body, err, http.StatusOK, "ok")
	}}
}

// rateRow describes one endpoint's totals as requests/s with p50 and p99.
func rateRow(r run) string {
	return fmt.Sprintf("%s (%s / %s)", num(r.perSec(1)), msf(r.Lat.pct(50)), msf(r.Lat.pct(99)))
}
