package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// benchSCIM measures SCIM provisioning: the lookup identity providers make before every change,
// at scale, and a whole initial sync as Entra ID sends it.
func benchSCIM(ctx context.Context, e *env) result {
	sz := e.Sz
	r := result{Title: "SCIM provisioning",
		What: fmt.Sprintf("requests per second and latency of `GET /scim/v2/Users?filter=userName eq \"…\"` (the lookup Entra ID "+
			"and Okta make before every change) in an organization of %s members, against bare `GET /healthz` in the same "+
			"run, with %d clients at once; and the wall time of an initial sync as Entra ID sends it: %s users created, then "+
			"%d groups created empty and given %d members each by one PATCH.", num(float64(sz.SCIMMembers)), sz.SCIMClients,
			num(float64(sz.SyncUsers)), sz.SyncGroups, sz.GroupSize),
		How: fmt.Sprintf("a fresh in-process Lobby; its organization's members are inserted with multi-row `INSERT`s inside "+
			"`db.Tx`, each with source `scim`, an externalId and its work address in the SCIM attributes (as "+
			"scim/bench_test.go seeds them). Every request carries a SCIM token from `Service.CreateToken` as bearer and goes "+
			"through real HTTP to `/scim/v2`. Lookups: each asks for another member, its address with a capital first "+
			"letter (matching is case-insensitive), and must answer 200 with `\"totalResults\":1`; first %d from 1 client "+
			"(uncontended), then %d rounds in which `/healthz`, the lookup and the same lookup with `&startIndex=1` (which "+
			"Lobby's fast path for lookups leaves to the SCIM library) in turn get %s of %d keep-alive clients. "+
			"Initial sync, on a second fresh Lobby, with %d clients at once: for each user Entra's lookup by userName (no "+
			"match) then `POST /Users` (201); then for each group the lookup by displayName with `excludedAttributes=members`, "+
			"`POST /Groups` without members (201) and one `PATCH /Groups/{id}` adding %d of the new users (204). The "+
			"numbers of members, teams and team memberships are checked at the end.", sz.Baseline, sz.PageRounds,
			sz.PageSlice, sz.SCIMClients, sz.SyncClients, sz.GroupSize)}
	l, err := startLobby(ctx, e.Root, nil)
	if err != nil {
		r.Err = err
		return r
	}
	err = scimLookups(ctx, l, sz, &r)
	l.Close()
	if err != nil {
		r.Err = err
		return r
	}
	l2, err := startLobby(ctx, e.Root, nil)
	if err != nil {
		r.Err = err
		return r
	}
	defer l2.Close()
	if err := scimSync(ctx, l2, sz, &r); err != nil {
		r.Err = err
	}
	return r
}

func scimLookups(ctx context.Context, l *lobby, sz sizes, r *result) error {
	member, err := roleID(ctx, l.App.DB, l.Org.ID, org.RoleMember)
	if err != nil {
		return err
	}
	progress("scim: seeding %s members.", num(float64(sz.SCIMMembers)))
	t0 := time.Now()
	err = seedUsersAndMembers(ctx, l.App.DB, l.Org.ID, sz.SCIMMembers, l.App.Org.Now().UnixMilli(),
		func(int) string { return member }, func(int) string { return "active" }, func(int) string { return "scim" },
		func(i int) (string, string) {
			return externalID(i), `{"emails":[{"value":"` + memberEmail(i) + `","type":"work","primary":true}]}`
		})
	if err != nil {
		return fmt.Errorf("seeding: %w", err)
	}
	took := time.Since(t0)
	r.add("Seeding (not a target)", fmt.Sprintf("%s members in %s", num(float64(sz.SCIMMembers)), took.Round(100*time.Millisecond)))
	tok, err := scimToken(ctx, l)
	if err != nil {
		return err
	}
	lookupWith := func(extra string) func(ctx context.Context, i int) error {
		return func(ctx context.Context, i int) error {
			email := memberEmail((i * 7919) % sz.SCIMMembers)
			code, body, err := scimCall(ctx, l, tok, "GET", "/Users?filter="+url.QueryEscape(`userName eq "`+
				strings.ToUpper(email[:1])+email[1:]+`"`)+extra, "")
			return expect("GET /scim/v2/Users?filter=userName eq", code, body, err, http.StatusOK, `"totalResults":1`)
		}
	}
	lookup := endpoint{"`GET /scim/v2/Users?filter=userName eq \"…\"`", lookupWith("")}
	// The same lookup with a parameter the fast path leaves alone goes through the library.
	full := endpoint{"the same lookup with `&startIndex=1`", lookupWith("&startIndex=1")}
	progress("scim: %d lookups from 1 client.", sz.Baseline)
	alone := hammer(ctx, 1, sz.Baseline, sz.Limit, lookup.Call)
	if alone.OK == 0 {
		return fmt.Errorf("no lookup succeeded: %v", alone.Err)
	}
	t1, cpu := time.Now(), readSched()
	totals := compare(ctx, "scim", []endpoint{healthz(l), lookup, full}, sz.PageRounds, sz.SCIMClients, sz.PageSlice)
	cpuUse := cpu.since(time.Since(t1))
	for i, name := range []string{"`GET /healthz`", "Lookup", "Lookup through the SCIM library (`&startIndex=1`, not a target)"} {
		if totals[i].OK == 0 {
			return fmt.Errorf("no request to %s succeeded: %v", name, totals[i].Err)
		}
		r.add(fmt.Sprintf("%s, %d clients: requests/s (p50 / p99)", name, sz.SCIMClients), rateRow(totals[i]))
		r.note("%s", failure(totals[i]))
	}
	got, base := totals[1].perSec(1), totals[0].perSec(1)
	r.target(fmt.Sprintf("Ratio lookup / healthz, %d clients", sz.SCIMClients), ratio(got, base), "≥ 0.3", got >= 0.3*base)
	r.add("Ratio lookup through the library / healthz (not a target)", ratio(totals[2].perSec(1), base))
	p99 := totals[1].Lat.pct(99)
	r.target(fmt.Sprintf("Lookup, %d clients: p99", sz.SCIMClients), msf(p99), "< 5 ms", p99 < 5*time.Millisecond)
	r.add("Lookup, 1 client: p50 / p99 (requests/s)", fmt.Sprintf("%s / %s (%s)", msf(alone.Lat.pct(50)), msf(alone.Lat.pct(99)),
		num(alone.perSec(1))))
	r.add(fmt.Sprintf("This process during the %d-client rounds", sz.SCIMClients), cpuUse)
	if err := lookupParts(ctx, l, tok, sz, r); err != nil {
		return err
	}
	r.note("%s", failure(alone))
	if got > 0 {
		r.note("By Little's law, %d lookups in flight at %s requests/s spend %s each on average, whatever the order; a p99 "+
			"under 5 ms at this concurrency needs well over %s lookups/s.", sz.SCIMClients, num(got),
			msf(time.Duration(float64(sz.SCIMClients)/got*float64(time.Second))), num(float64(sz.SCIMClients)/0.005))
	}
	return nil
}

// lookupParts times the two calls a lookup makes of org, in-process and one at a time, and
// explains the store's query.
func lookupParts(ctx context.Context, l *lobby, tok string, sz sizes, r *result) error {
	var auth, list latencies
	for i := range max(20, sz.Baseline/2) {
		t := time.Now()
		a, err := l.App.Org.Authenticate(ctx, "scim", tok)
		auth = append(auth, time.Since(t))
		if err != nil {
			return err
		}
		cond := &store.SCIMCond{Op: "eq", Attr: "username", Value: memberEmail((i * 7919) % sz.SCIMMembers)}
		t = time.Now()
		users, _, err := l.App.Org.SCIMListUsers(ctx, a, org.SCIMQuery{Filter: cond, Limit: 100})
		list = append(list, time.Since(t))
		if err != nil || len(users) != 1 {
			return fmt.Errorf("Service.SCIMListUsers found %d users: %v", len(users), err)
		}
	}
	r.add("Of a lookup, `Service.Authenticate` (the token, cached for 2 s after the first) alone, p50", usf(auth.pct(50)))
	r.add("Of a lookup, `Service.SCIMListUsers` alone, p50", usf(list.pct(50)))
	rec := &recorder{Q: l.App.DB.R}
	cond := &store.SCIMCond{Op: "eq", Attr: "username", Value: memberEmail(0)}
	if _, _, err := store.ListSCIMMembers(ctx, rec, l.Org.ID, cond, store.SCIMSort{}, 0, 100); err != nil {
		return err
	}
	p, err := plan(ctx, l.App.DB, rec.stmts[0])
	if err != nil {
		return err
	}
	r.note("The lookup's query (`store.ListSCIMMembers`) has the plan %s.", p)
	return nil
}

// externalID is the identity provider's id of seeded or synced person i, shaped like Entra's.
func externalID(i int) string { return fmt.Sprintf("%08x-0b5e-4c1d-8e2f-%012x", i, i*7919) }

// scimToken makes a SCIM token for the bench organization.
func scimToken(ctx context.Context, l *lobby) (string, error) {
	tok, err := l.App.Org.CreateToken(ctx, org.SystemActor("cli", "bench", l.Org.ID), "scim", "Entra provisioning")
	if err != nil {
		return "", fmt.Errorf("create the SCIM token: %w", err)
	}
	return tok.Plain, nil
}

// scimCall sends one SCIM request with the token and returns the status and body.
func scimCall(ctx context.Context, l *lobby, token, method, path, body string) (int, []byte, error) {
	return fetch(ctx, l.Load, method, l.Base+"/scim/v2"+path, body, "Authorization", "Bearer "+token,
		"Content-Type", "application/scim+json")
}
