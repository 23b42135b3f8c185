package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/lobby/lobby/app/store"
)

// When the People page misses its target, these say where its time goes: the statements the
// store runs are recorded, then timed and explained one by one.

// recorder is a store.Q on the read pool that remembers the statements it was asked.
type recorder struct {
	store.Q
	stmts []stmt
}

// stmt is one recorded statement and its arguments.
type stmt struct {
	Query string
	Args  []any
}

func (r *recorder) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	r.stmts = append(r.stmts, stmt{query, args})
	return r.Q.QueryContext(ctx, query, args...)
}

func (r *recorder) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	r.stmts = append(r.stmts, stmt{query, args})
	return r.Q.QueryRowContext(ctx, query, args...)
}

// plan returns SQLite's plan of a statement, its steps in order.
func plan(ctx context.Context, db *store.DB, s stmt) (string, error) {
	rows, err := db.R.QueryContext(ctx, "EXPLAIN QUERY PLAN "+s.Query, s.Args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return "", err
		}
		steps = append(steps, "`"+detail+"`")
	}
	return strings.Join(steps, " → "), rows.Err()
}

// timeStmt runs a statement n times on the read pool, reading every row, and returns the median.
func timeStmt(ctx context.Context, db *store.DB, s stmt, n int) (time.Duration, error) {
	var lat latencies
	for range n {
		t := time.Now()
		rows, err := db.R.QueryContext(ctx, s.Query, s.Args...)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
		}
		err = firstErr(rows.Err(), rows.Close())
		if err != nil {
			return 0, err
		}
		lat = append(lat, time.Since(t))
	}
	return lat.pct(50), nil
}

// peopleArms records the statement store.ListPeople runs for f and splits it into its arms
// (members, invitations): each is a complete query of its own, a "SELECT * FROM (…)" joined
// to the next by UNION ALL, and the whole ends with the merge's ORDER BY and LIMIT.
func peopleArms(ctx context.Context, l *lobby, f store.PeopleFilter) ([]stmt, error) {
	rec := &recorder{Q: l.App.DB.R}
	if _, err := store.ListPeople(ctx, rec, l.Org.ID, f, l.App.Org.Now().UnixMilli()); err != nil {
		return nil, err
	}
	if len(rec.stmts) != 1 {
		return nil, fmt.Errorf("store.ListPeople ran %d statements; the benchmark expects one", len(rec.stmts))
	}
	whole := rec.stmts[0]
	parts := strings.Split(whole.Query, " UNION ALL ")
	last := len(parts) - 1
	parts[last] = strings.TrimSuffix(parts[last], " ORDER BY 2 DESC LIMIT ?")
	var arms []stmt
	args := whole.Args
	for _, p := range parts {
		n := strings.Count(p, "?")
		if n > len(args) || !strings.HasPrefix(p, "SELECT * FROM (") {
			return nil, fmt.Errorf("cannot split the statement of store.ListPeople into its arms: %.200s", whole.Query)
		}
		arms = append(arms, stmt{p, args[:n]})
		args = args[n:]
	}
	return arms, nil
}

// explainPeople says where one People case spends its query time: each arm's time and plan.
func explainPeople(ctx context.Context, l *lobby, f store.PeopleFilter) (string, error) {
	arms, err := peopleArms(ctx, l, f)
	if err != nil {
		return "", err
	}
	var out []string
	for _, a := range arms {
		d, err := timeStmt(ctx, l.App.DB, a, 3)
		if err != nil {
			return "", err
		}
		p, err := plan(ctx, l.App.DB, a)
		if err != nil {
			return "", err
		}
		kind := "invitations"
		if strings.Contains(a.Query, "'member'") {
			kind = "members"
		}
		out = append(out, fmt.Sprintf("the %s arm takes %s alone (plan %s)", kind, msf(d), p))
	}
	return strings.Join(out, "; "), nil
}

// seatCounts times the two counts Service.Seats makes on every console page and explains them.
func seatCounts(ctx context.Context, l *lobby, r *result) error {
	rec := &recorder{Q: l.App.DB.R}
	now := l.App.Org.Now().UnixMilli()
	if _, err := store.CountActiveMembers(ctx, rec, l.Org.ID); err != nil {
		return err
	}
	if _, err := store.CountPendingInvitations(ctx, rec, l.Org.ID, now); err != nil {
		return err
	}
	var parts []string
	for i, name := range []string{"store.CountActiveMembers", "store.CountPendingInvitations"} {
		d, err := timeStmt(ctx, l.App.DB, rec.stmts[i], 5)
		if err != nil {
			return err
		}
		p, err := plan(ctx, l.App.DB, rec.stmts[i])
		if err != nil {
			return err
		}
		r.add(fmt.Sprintf("`%s` alone (part of `Service.Seats`), p50", name), msf(d))
		parts = append(parts, fmt.Sprintf("`%s` %s with plan %s", name, msf(d), p))
	}
	r.note("Every console page counts the seats in use (`Service.Seats`, for the header): %s.", strings.Join(parts, "; "))
	return nil
}
