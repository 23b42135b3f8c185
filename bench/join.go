package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/lobby/lobby/app/org"
)

// joinFloor is the least time the handler of POST /join/{slug} takes (joinFloor in
// app/web/join.go), so that every answer takes the same time whatever the address.
const joinFloor = 300 * time.Millisecond

// joinSlug is the bench organization's join link.
const joinSlug = "bench-join"

// benchJoin measures the public join page: its throughput against /healthz and the time of
// join requests under many clients.
func benchJoin(ctx context.Context, e *env) result {
	sz := e.Sz
	r := result{Title: "Public join page",
		What: fmt.Sprintf("requests per second of the public join page `GET /join/{slug}` against bare `GET /healthz` in the "+
			"same run, and the latency of `POST /join/{slug}` (an allowed address asking to join) with %d clients at once.",
			sz.JoinClients),
		How: fmt.Sprintf("a fresh in-process Lobby whose organization has its join page on (`Service.UpdateSettings`: "+
			"`join_enabled`, slug `%s`, allowed domain `join.example`) and throttling off (`App.Throttle.Off = true`, else one "+
			"IP may ask 20 times an hour). Throughput: %d rounds; in each, both endpoints in turn get %s of %d keep-alive "+
			"clients; every answer must be 200. Join requests: a browser's form, the CSRF cookie from one GET of the page "+
			"and its `_csrf` field, each request a new allowed address; first %d from 1 client, then %d shared by %d "+
			"clients. Each must answer 200 with \"Check your inbox\"; each writes a link token and queues a confirmation "+
			"email, which the mail sender writes as an .eml file meanwhile. The handler never answers before %s "+
			"(`joinFloor` in app/web/join.go), so that allowed and refused addresses take the same time; the latencies are "+
			"reported as measured and net of that floor.", joinSlug, sz.PageRounds, sz.PageSlice, sz.PageClients,
			joinBaseline, sz.JoinPosts, sz.JoinClients, joinFloor)}
	l, err := startLobby(ctx, e.Root, nil)
	if err != nil {
		r.Err = err
		return r
	}
	defer l.Close()
	if err := joinRun(ctx, l, sz, &r); err != nil {
		r.Err = err
	}
	return r
}

// joinBaseline is how many join requests one client sends alone.
const joinBaseline = 5

func joinRun(ctx context.Context, l *lobby, sz sizes, r *result) error {
	a, err := l.actor(ctx)
	if err != nil {
		return err
	}
	on, slug, domains := true, joinSlug, []string{"join.example"}
	if _, err := l.App.Org.UpdateSettings(ctx, a, org.SettingsPatch{JoinEnabled: &on, JoinSlug: &slug,
		JoinAllowedDomains: &domains}); err != nil {
		return fmt.Errorf("switching the join page on: %w", err)
	}
	l.App.Throttle.Off = true
	page := l.Base + "/join/" + joinSlug
	show := endpoint{"`GET /join/{slug}`", func(ctx context.Context, _ int) error {
		code, body, err := fetch(ctx, l.Load, "GET", page, "")
		return expect("GET /join/{slug}", code, body, err, http.StatusOK, "Continue")
	}}
	totals := compare(ctx, "join", []endpoint{healthz(l), show}, sz.PageRounds, sz.PageClients, sz.PageSlice)
	for i, name := range []string{"`GET /healthz`", show.Name} {
		if totals[i].OK == 0 {
			return fmt.Errorf("no request to %s succeeded: %v", name, totals[i].Err)
		}
		r.add(name+": requests/s (p50 / p99)", rateRow(totals[i]))
		r.note("%s", failure(totals[i]))
	}
	ratioOK := totals[1].perSec(1) >= 0.5*totals[0].perSec(1)
	r.target("Ratio join page / healthz", ratio(totals[1].perSec(1), totals[0].perSec(1)), "≥ 0.5", ratioOK)

	csrf, err := csrfCookie(ctx, l, page)
	if err != nil {
		return err
	}
	ask := func(prefix string) func(ctx context.Context, i int) error {
		return func(ctx context.Context, i int) error {
			form := url.Values{"_csrf": {csrf}, "email": {fmt.Sprintf("%s-%d@join.example", prefix, i)}, "website": {""}}
			code, body, err := fetch(ctx, l.Load, "POST", page, form.Encode(), "Content-Type", "application/x-www-form-urlencoded",
				"Cookie", "lobby_csrf="+csrf)
			return expect("POST /join/{slug}", code, body, err, http.StatusOK, "Check your inbox")
		}
	}
	progress("join: %d join requests from 1 client, then %d from %d clients.", joinBaseline, sz.JoinPosts, sz.JoinClients)
	base := hammer(ctx, 1, joinBaseline, sz.Limit, ask("alone"))
	t0, cpu := time.Now(), readSched()
	load := hammer(ctx, sz.JoinClients, sz.JoinPosts, sz.Limit, ask("load"))
	cpuUse := cpu.since(time.Since(t0))
	if base.OK == 0 || load.OK == 0 {
		return fmt.Errorf("no join request succeeded: %v %v", base.Err, load.Err)
	}
	net := func(d time.Duration) string { return msf(d - joinFloor) }
	r.add("1 client: p50, as measured / net of the floor", msf(base.Lat.pct(50))+" / "+net(base.Lat.pct(50)))
	r.add(fmt.Sprintf("%d clients: p50, as measured / net of the floor", sz.JoinClients),
		msf(load.Lat.pct(50))+" / "+net(load.Lat.pct(50)))
	r.add(fmt.Sprintf("%d clients: p99, as measured / net of the floor", sz.JoinClients),
		msf(load.Lat.pct(99))+" / "+net(load.Lat.pct(99)))
	r.add(fmt.Sprintf("%d clients: max, as measured / net of the floor", sz.JoinClients),
		msf(load.Lat.max())+" / "+net(load.Lat.max()))
	floorRate := float64(sz.JoinClients) / joinFloor.Seconds()
	r.add(fmt.Sprintf("%d clients: join requests/s (the floor allows at most %s)", sz.JoinClients, num(floorRate)),
		num(load.perSec(1)))
	r.add("Join requests that succeeded", fmt.Sprintf("%d + %d of %d + %d", base.OK, load.OK, joinBaseline, sz.JoinPosts))
	r.add(fmt.Sprintf("This process during the %d-client run", sz.JoinClients), cpuUse)
	links, err1 := count(ctx, l.App.DB, `SELECT count(*) FROM link_tokens WHERE kind = 'join'`)
	mails, err2 := count(ctx, l.App.DB, `SELECT count(*) FROM outbox WHERE template = 'join_confirm'`)
	if err := firstErr(err1, err2); err != nil {
		return err
	}
	r.add("Link tokens / confirmation emails written", fmt.Sprintf("%s / %s", num(float64(links)), num(float64(mails))))
	if fastest := min(slices.Min(base.Lat), slices.Min(load.Lat)); fastest < joinFloor {
		r.note("The fastest join request took %s, under the %s floor this benchmark assumes: `joinFloor` in app/web/join.go "+
			"has changed, and the net numbers are wrong.", msf(fastest), joinFloor)
	}
	r.note("%s", failure(base))
	r.note("%s", failure(load))
	if want := int64(base.OK + load.OK); links != want || mails != want {
		return fmt.Errorf("%d join requests succeeded but %d link tokens and %d emails were written", want, links, mails)
	}
	return nil
}

// csrfCookie opens a page like a browser and returns the CSRF cookie it sets.
func csrfCookie(ctx context.Context, l *lobby, page string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, page, nil)
	if err != nil {
		return "", err
	}
	resp, err := l.HTTP.Do(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "lobby_csrf" && strings.TrimSpace(c.Value) != "" {
			return c.Value, nil
		}
	}
	return "", fmt.Errorf("GET %s answered %d without a CSRF cookie", page, resp.StatusCode)
}
