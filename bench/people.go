package main

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/session"
)

// peopleCase is one way of opening the People page: its query string, the same question asked
// of org directly, and a text the answer must contain.
type peopleCase struct {
	Name, Query string
	Filter      store.PeopleFilter
	Want        string
	Lat         latencies
	Alone       latencies // Service.People alone, in-process
}

// peopleTarget is the most a People page may take at p50 and at p99.
const peopleTarget = 50 * time.Millisecond

// benchPeople times the console's People page of a large organization.
func benchPeople(ctx context.Context, e *env) result {
	sz := e.Sz
	r := result{Title: "Console People page of a large organization",
		What: fmt.Sprintf("how long the console's People page `GET /console/{slug}` takes for an organization of %s members "+
			"and %s invitations: the first page, a search for a rare and a common term, the filters `?status=pending`, `?status=expired` and "+
			"`?role=member`, and the next page through the page's own cursor link.", num(float64(sz.People)),
			num(float64(sz.PeopleInvites))),
		How: fmt.Sprintf("a fresh in-process Lobby; the organization and its roles come from `org.CreateOrg`, the people, "+
			"memberships and invitations are inserted with multi-row `INSERT`s inside `db.Tx` (%s a transaction): names "+
			"from %d first names, so a first name is a common term (`maria`, one person in %d); `m%%06d` in each member's "+
			"address is a rare one (one person). Members are 4%% admins and 2%% deactivated; invitations are 60%% pending, "+
			"10%% pending past their expiry, 10%% expired, 5%% revoked, 15%% accepted, and interleave with the members in "+
			"id order. The owner's session comes from `session.Manager.Start` as cookie `lobby_session`. One keep-alive "+
			"client asks for each case in turn, %d rounds (or until %s): this is server time as measured by the client "+
			"over loopback, HTML rendering included; every answer must be 200 with the expected content. Then each case's "+
			"`Service.People` call (the `store.ListPeople` query) is timed alone in-process, and so are `Service.Seats` and "+
			"its two counts (every console page shows the seats in use); for a case whose own query is slow, each arm of "+
			"the query (members, invitations) is timed alone and explained with `EXPLAIN QUERY PLAN`.", num(seedTxRows), len(firstNames), len(firstNames),
			sz.PeopleCalls, sz.Limit)}
	l, err := startLobby(ctx, e.Root, nil)
	if err != nil {
		r.Err = err
		return r
	}
	defer l.Close()
	if err := peopleRun(ctx, l, sz, &r); err != nil {
		r.Err = err
	}
	return r
}

func peopleRun(ctx context.Context, l *lobby, sz sizes, r *result) error {
	t0 := time.Now()
	if err := seedPeople(ctx, l, sz); err != nil {
		return fmt.Errorf("seeding: %w", err)
	}
	took := time.Since(t0)
	rows := sz.People*2 + sz.PeopleInvites
	r.add("Seeding (not a target)", fmt.Sprintf("%s rows in %s (%s rows/s)", num(float64(rows)), took.Round(100*time.Millisecond),
		num(float64(rows)/took.Seconds())))
	s, err := l.App.Sessions.Start(ctx, l.Owner.UserID, session.Data{OrgID: l.Org.ID})
	if err != nil {
		return err
	}
	cookie := "lobby_session=" + s.ID
	base := "/console/" + l.Org.Slug
	rare := fmt.Sprintf("m%06d", rareIndex(sz.People))
	cases := []*peopleCase{
		{Name: "First page", Query: "", Want: "cursor="},
		{Name: "Search, rare term `?q=" + rare + "`", Query: "?q=" + rare, Filter: store.PeopleFilter{Query: rare}, Want: rare},
		{Name: "Search, common term `?q=maria`", Query: "?q=maria", Filter: store.PeopleFilter{Query: "maria"}, Want: "maria."},
		{Name: "Filter `?status=pending`", Query: "?status=pending", Filter: store.PeopleFilter{Status: "pending"}},
		{Name: "Filter `?role=member`", Query: "?role=member", Filter: store.PeopleFilter{RoleKey: "member"}},
		{Name: "Filter `?status=expired`", Query: "?status=expired", Filter: store.PeopleFilter{Status: "expired"}},
	}
	next, err := nextLink(ctx, l, base, cookie)
	if err != nil {
		return err
	}
	u, _ := url.Parse(next)
	cases = append(cases, &peopleCase{Name: "Next page (the first page's cursor link)", Query: "?" + u.RawQuery,
		Filter: store.PeopleFilter{Page: store.Page{Cursor: u.Query().Get("cursor")}}, Want: "cursor="})
	progress("people: %d rounds of %d cases.", sz.PeopleCalls, len(cases))
	t1, cpu := time.Now(), readSched()
	if err := askPeople(ctx, l, base, cookie, cases, sz); err != nil {
		return err
	}
	cpuUse := cpu.since(time.Since(t1))
	seats, err := peopleAlone(ctx, l, cases, rare, max(3, sz.PeopleCalls/4))
	if err != nil {
		return err
	}
	var light []*peopleCase // cases that miss the target although their own query is quick
	for _, c := range cases {
		p50, p99 := c.Lat.pct(50), c.Lat.pct(99)
		met := p50 < peopleTarget && p99 < peopleTarget
		r.target(c.Name+": p50 / p99", msf(p50)+" / "+msf(p99), "both < 50 ms", met)
		r.add(c.Name+": `Service.People` alone, p50", msf(c.Alone.pct(50)))
		switch {
		case met:
		case c.Alone.pct(50) <= peopleTarget/2:
			light = append(light, c)
		default:
			arms, err := explainPeople(ctx, l, c.Filter)
			if err != nil {
				return err
			}
			r.note("%s misses the target (p50 %s, p99 %s): `Service.People` alone takes %s; %s.", c.Name, msf(p50), msf(p99),
				msf(c.Alone.pct(50)), arms)
		}
	}
	if len(light) > 0 {
		var names []string
		var p50s, p99s, alone latencies
		for _, c := range light {
			names = append(names, c.Name)
			p50s, p99s, alone = append(p50s, c.Lat.pct(50)), append(p99s, c.Lat.pct(99)), append(alone, c.Alone.pct(50))
		}
		r.note("%s: miss the target (p50 %s, p99 %s) although `Service.People` alone takes only %s of them; `Service.Seats` "+
			"takes %s (p50) of every console page, for the seat count in its header (its two counts are below).",
			strings.Join(names, "; "), span(p50s), span(p99s), span(alone), msf(seats.pct(50)))
	}
	r.add("`Service.Seats` (counted on every console page), p50", msf(seats.pct(50)))
	if err := seatCounts(ctx, l, r); err != nil {
		return err
	}
	r.add("Requests per case", fmt.Sprint(len(cases[0].Lat)))
	r.add("This process during the requests", cpuUse)
	return nil
}

// askPeople asks for every case in turn, sz.PeopleCalls rounds or until sz.Limit, from one
// client, and records each answer's time.
func askPeople(ctx context.Context, l *lobby, base, cookie string, cases []*peopleCase, sz sizes) error {
	deadline := time.Now().Add(sz.Limit)
	for round := 0; round < sz.PeopleCalls && time.Now().Before(deadline); round++ {
		for _, c := range cases {
			t := time.Now()
			code, body, err := fetch(ctx, l.Load, "GET", l.Base+base+c.Query, "", "Cookie", cookie)
			d := time.Since(t)
			if err := expect("GET "+base+c.Query, code, body, err, http.StatusOK, c.Want); err != nil {
				return err
			}
			c.Lat = append(c.Lat, d)
		}
	}
	return nil
}

// peopleAlone times each case's Service.People call in-process, n rounds, and Service.Seats
// once a round; it checks that the rare term finds one person.
func peopleAlone(ctx context.Context, l *lobby, cases []*peopleCase, rare string, n int) (latencies, error) {
	a, err := l.actor(ctx)
	if err != nil {
		return nil, err
	}
	var seats latencies
	for range n {
		for _, c := range cases {
			t := time.Now()
			list, err := l.App.Org.People(ctx, a, c.Filter)
			c.Alone = append(c.Alone, time.Since(t))
			if err != nil {
				return nil, fmt.Errorf("Service.People for %s: %w", c.Name, err)
			}
			if c.Filter.Query == rare && len(list) != 1 {
				return nil, fmt.Errorf("the rare term %q found %d people, want 1", rare, len(list))
			}
		}
		t := time.Now()
		if _, _, err := l.App.Org.Seats(ctx, l.Org.ID); err != nil {
			return nil, err
		}
		seats = append(seats, time.Since(t))
	}
	return seats, nil
}

// span formats the range of some durations as "a–b", or one value when they are all alike.
func span(l latencies) string {
	lo, hi := l.pct(0.0001), l.max()
	if msf(lo) == msf(hi) {
		return msf(lo)
	}
	return strings.TrimSuffix(msf(lo), " ms") + "–" + msf(hi)
}

// rareIndex is the member whose address holds the rare term: the same one at every size.
func rareIndex(people int) int { return people * 54321 / 100_000 }

var nextHref = regexp.MustCompile(`href="([^"]*cursor=[^"]*)"`)

// nextLink opens the first page and returns its "Next page" link.
func nextLink(ctx context.Context, l *lobby, path, cookie string) (string, error) {
	code, body, err := fetch(ctx, l.Load, "GET", l.Base+path, "", "Cookie", cookie)
	if err := expect("GET "+path, code, body, err, http.StatusOK, ""); err != nil {
		return "", err
	}
	m := nextHref.FindSubmatch(body)
	if m == nil {
		return "", fmt.Errorf("GET %s has no link to the next page", path)
	}
	return html.UnescapeString(string(m[1])), nil
}

// seedPeople inserts sz.People members and sz.PeopleInvites invitations into the organization.
func seedPeople(ctx context.Context, l *lobby, sz sizes) error {
	db, now := l.App.DB, l.App.Org.Now().UnixMilli()
	member, err1 := roleID(ctx, db, l.Org.ID, org.RoleMember)
	admin, err2 := roleID(ctx, db, l.Org.ID, org.RoleAdmin)
	if err := firstErr(err1, err2); err != nil {
		return err
	}
	roleOf := func(i int) string {
		if i%25 == 0 {
			return admin
		}
		return member
	}
	progress("people: seeding %s members.", num(float64(sz.People)))
	err := seedUsersAndMembers(ctx, db, l.Org.ID, sz.People, now, roleOf,
		func(i int) string { return map[bool]string{true: "deactivated", false: "active"}[i%50 == 7] },
		func(i int) string { return []string{"invite", "join", "admin", "scim"}[i%4] }, nil)
	if err != nil {
		return err
	}
	progress("people: seeding %s invitations.", num(float64(sz.PeopleInvites)))
	const hour, day = 3600_000, 24 * 3600_000
	return insertRows(ctx, db, "invitations", []string{"id", "org_id", "email", "email_norm", "name", "role_id", "token_hash",
		"status", "kind", "invited_by", "expires_at", "sent_at", "send_count", "delivery_status", "accepted_at", "created_at",
		"updated_at"}, sz.PeopleInvites, func(i int) []any {
		email := fmt.Sprintf("%s.i%06d@guest%d.example", strings.ToLower(firstNames[i%len(firstNames)]), i, i%5)
		name := ""
		if i%2 == 0 {
			name = personName(i)
		}
		created := now - int64(sz.PeopleInvites-i)*500
		status, expires, delivery := "pending", now+7*day, "sent"
		var accepted any
		switch k := i % 20; {
		case k == 12 || k == 13:
			expires = now - hour
		case k == 14 || k == 15:
			status, expires = "expired", now-day
		case k == 16:
			status = "revoked"
		case k >= 17:
			status, accepted = "accepted", created+hour
		}
		if i%97 == 0 {
			delivery = "failed"
		}
		return []any{seedID('8', 3*(i/2)+1+i%2), l.Org.ID, email, email, name, roleOf(i), fmt.Sprintf("%064d", i), status,
			"invite", l.Owner.UserID, expires, created, 1, delivery, accepted, created, created}
	})
}
