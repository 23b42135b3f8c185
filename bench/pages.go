package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/lobby/lobby/app/config"
	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/auth/session"
)

// benchPages compares page throughput with /healthz and times sign-ups and the hashing cap.
func benchPages(ctx context.Context, e *env) result {
	sz := e.Sz
	r := result{Title: "Pages and sign-up",
		What: "requests per second of the invitation page `GET /invite/{token}` and of the signed-in dashboard `GET /` " +
			"against bare `GET /healthz` in the same run; the time of one sign-up `POST /invite/{token}` (step=signup), " +
			"which argon2id dominates; and what `security.hash_concurrency` does to concurrent sign-ups.",
		How: fmt.Sprintf("a fresh in-process Lobby. The dashboard gets a session made by `session.Manager.Start` as cookie "+
			"`lobby_session`. %d rounds; in each, every endpoint in turn gets %s of %d keep-alive clients, so noise hits all "+
			"three alike; every answer must be 200. A sign-up is a browser's: GET the page (CSRF cookie), then POST "+
			"`_csrf`, `name`, `password`; only the POST is timed and it must answer 303 to the dashboard. (Only the first GET of an invitation writes: it records the opening.) Then %d sign-ups "+
			"start at once against Lobby with the default cap (2) and against a second Lobby with `hash_concurrency = 1`.",
			sz.PageRounds, sz.PageSlice, sz.PageClients, sz.Signups)}
	l, err := startLobby(ctx, e.Root, nil)
	if err != nil {
		r.Err = err
		return r
	}
	defer l.Close()
	l1, err := startLobby(ctx, e.Root, func(c *config.Config) { c.Security.HashConcurrency = 1 })
	if err != nil {
		r.Err = err
		return r
	}
	defer l1.Close()
	if err := pageRates(ctx, l, sz, &r); err != nil {
		r.Err = err
		return r
	}
	if err := signups(ctx, l, l1, sz, &r); err != nil {
		r.Err = err
	}
	return r
}

func pageRates(ctx context.Context, l *lobby, sz sizes, r *result) error {
	links, err := invitationPaths(ctx, l, "page", 1)
	if err != nil {
		return err
	}
	s, err := l.App.Sessions.Start(ctx, l.Owner.UserID, session.Data{OrgID: l.Org.ID})
	if err != nil {
		return err
	}
	eps := []struct{ name, path, cookie string }{
		{"`GET /healthz`", "/healthz", ""},
		{"`GET /invite/{token}`", links[0], ""},
		{"`GET /` (dashboard, signed in)", "/", "lobby_session=" + s.ID},
	}
	totals := make([]run, len(eps))
	for round := range sz.PageRounds {
		progress("pages: round %d of %d.", round+1, sz.PageRounds)
		for i, ep := range eps {
			got := hammer(ctx, sz.PageClients, 1<<30, sz.PageSlice, func(ctx context.Context, _ int) error {
				code, err := l.get(ctx, ep.path, ep.cookie)
				if err == nil && code != http.StatusOK {
					err = fmt.Errorf("%s answered %d", ep.name, code)
				}
				return err
			})
			totals[i].OK, totals[i].Failed, totals[i].Elapsed = totals[i].OK+got.OK, totals[i].Failed+got.Failed, totals[i].Elapsed+got.Elapsed
			totals[i].Lat = append(totals[i].Lat, got.Lat...)
			if totals[i].Err == nil {
				totals[i].Err = got.Err
			}
		}
	}
	for i, ep := range eps {
		if totals[i].OK == 0 {
			return fmt.Errorf("no request to %s succeeded: %v", ep.name, totals[i].Err)
		}
		r.add(ep.name+": requests/s (p50 / p99)", fmt.Sprintf("%s (%s / %s)", num(totals[i].perSec(1)),
			msf(totals[i].Lat.pct(50)), msf(totals[i].Lat.pct(99))))
		r.note("%s", failure(totals[i]))
	}
	base := totals[0].perSec(1)
	r.add("Ratio invitation page / healthz", ratio(totals[1].perSec(1), base))
	r.add("Ratio dashboard / healthz", ratio(totals[2].perSec(1), base))
	return nil
}

func signups(ctx context.Context, l, l1 *lobby, sz sizes, r *result) error {
	const singles = 5
	var post, hash latencies
	links, err := invitationPaths(ctx, l, "single", singles)
	if err != nil {
		return err
	}
	for _, p := range links {
		d, err := signUp(ctx, l, p)
		if err != nil {
			return err
		}
		post = append(post, d)
		t0 := time.Now()
		if _, err := l.App.Org.HashPassword(ctx, "correct horse battery"); err != nil {
			return err
		}
		hash = append(hash, time.Since(t0))
	}
	one := hash.pct(50)
	r.add(fmt.Sprintf("One sign-up POST (median of %d)", singles), msf(post.pct(50)))
	r.add(fmt.Sprintf("One argon2id hash alone (median of %d)", singles), msf(one))
	r.add("Hash share of a sign-up", fmt.Sprintf("%.0f%%", 100*float64(one)/float64(post.pct(50))))
	walls := map[int]time.Duration{}
	for _, x := range []struct {
		l   *lobby
		cap int
	}{{l, l.App.Config.Security.HashConcurrency}, {l1, 1}} {
		links, err := invitationPaths(ctx, x.l, fmt.Sprintf("burst%d", x.cap), sz.Signups)
		if err != nil {
			return err
		}
		progress("pages: %d sign-ups at once with hash_concurrency %d.", sz.Signups, x.cap)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var lat latencies
		var failed error
		t0, cpu := time.Now(), readSched()
		for _, p := range links {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d, err := signUp(ctx, x.l, p)
				mu.Lock()
				defer mu.Unlock()
				lat = append(lat, d)
				if err != nil && failed == nil {
					failed = err
				}
			}()
		}
		wg.Wait()
		wall := time.Since(t0)
		cpuUse := cpu.since(wall)
		if failed != nil {
			return failed
		}
		walls[x.cap] = wall
		// With at most cap hashes at once, n sign-ups cannot finish before n/cap hash times.
		floor := time.Duration(float64(one) * float64(sz.Signups) / float64(x.cap))
		r.add(fmt.Sprintf("%d sign-ups at once, cap %d: wall time (the cap's floor, %d/%d × one hash)", sz.Signups, x.cap,
			sz.Signups, x.cap), fmt.Sprintf("%s = %s the floor of %s", msf(wall), ratio(float64(wall), float64(floor)), msf(floor)))
		r.add(fmt.Sprintf("Cap %d: sign-ups/s (slowest POST)", x.cap),
			fmt.Sprintf("%.1f/s (%s)", float64(sz.Signups)/wall.Seconds(), msf(lat.max())))
		r.add(fmt.Sprintf("Cap %d: this process meanwhile", x.cap), cpuUse)
	}
	r.add("Wall time, cap 1 / cap 2", ratio(float64(walls[1]), float64(walls[2])))
	return nil
}

// invitationPaths invites n new addresses without mail and returns their link paths.
func invitationPaths(ctx context.Context, l *lobby, prefix string, n int) ([]string, error) {
	a, err := l.actor(ctx)
	if err != nil {
		return nil, err
	}
	emails := make([]string, n)
	for i := range emails {
		emails[i] = fmt.Sprintf("%s-%d@pages.example", prefix, i)
	}
	res, err := l.App.Org.Invite(ctx, a, org.InviteRequest{Emails: emails})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, c := range res.Created {
		out = append(out, strings.TrimPrefix(c.AcceptURL, l.Base))
	}
	if len(out) != n {
		return nil, fmt.Errorf("invited %d of %d addresses: %+v", len(out), n, res.Errors)
	}
	return out, nil
}

// signUp opens an invitation like a browser and signs up through its form; it returns how
// long the POST took.
func signUp(ctx context.Context, l *lobby, path string) (time.Duration, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Transport: l.HTTP.Transport, Jar: jar, CheckRedirect: l.HTTP.CheckRedirect, Timeout: time.Minute}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, l.Base+path, nil)
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	u, _ := url.Parse(l.Base)
	csrf := ""
	for _, ck := range jar.Cookies(u) {
		if ck.Name == "lobby_csrf" {
			csrf = ck.Value
		}
	}
	if resp.StatusCode != http.StatusOK || csrf == "" {
		return 0, fmt.Errorf("GET invitation page answered %d with CSRF cookie %t", resp.StatusCode, csrf != "")
	}
	form := url.Values{"_csrf": {csrf}, "step": {"signup"}, "name": {"New Person"}, "password": {"correct horse battery"}}
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, l.Base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	t0 := time.Now()
	resp, err = c.Do(req)
	if err != nil {
		return 0, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	d := time.Since(t0)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/?joined=") {
		return d, fmt.Errorf("sign-up POST answered %d to %q: %.300s", resp.StatusCode, loc, body)
	}
	return d, nil
}
