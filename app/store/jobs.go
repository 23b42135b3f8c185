package store

import (
	"context"
	"database/sql"
)

// JobRun is one recorded run of a named cron job.
type JobRun struct {
	ID         string
	Name       string
	Holder     string // the process that ran it
	StartedAt  int64
	DurationMs int64
	Result     string // ok | error
	Summary    string // what the run did, in words
	Error      string
}

const jobRunColumns = `id, name, holder, started_at, duration_ms, result, summary, error`

// TryLease takes the lease called name for holder until the time until, if nobody holds it or
// the current lease has expired at now. It is one atomic statement, so of several processes
// sharing the database exactly one gets an expired lease. It reports whether holder got it.
// A holder does not get its own unexpired lease again.
func (db *DB) TryLease(ctx context.Context, name, holder string, now, until int64) (bool, error) {
	res, err := db.W.ExecContext(ctx, `INSERT INTO job_leases (name, holder, expires_at) VALUES (?, ?, ?)
 ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
 WHERE job_leases.expires_at <= ?`, name, holder, until, now)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// LeaseEnds returns when the lease called name ends (unix ms), 0 when there is none.
func (db *DB) LeaseEnds(ctx context.Context, name string) (int64, error) {
	var until int64
	err := db.R.QueryRowContext(ctx, `SELECT COALESCE(max(expires_at), 0) FROM job_leases WHERE name = ?`, name).Scan(&until)
	return until, err
}

// ReleaseLease ends holder's lease called name at now, so the next TryLease gets it. A lease
// held by someone else, or already expired, is left alone.
func (db *DB) ReleaseLease(ctx context.Context, name, holder string, now int64) error {
	_, err := db.W.ExecContext(ctx, `UPDATE job_leases SET expires_at = ? WHERE name = ? AND holder = ? AND expires_at > ?`,
		now, name, holder, now)
	return err
}

// RecordJobRun stores one finished run. r.ID must be set (NewID).
func (db *DB) RecordJobRun(ctx context.Context, r JobRun) error {
	_, err := db.W.ExecContext(ctx, `INSERT INTO job_runs (`+jobRunColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.Name, r.Holder, r.StartedAt, r.DurationMs, r.Result, r.Summary, r.Error)
	return err
}

// LastJobRuns returns the newest run of every job that has run, by job name, whichever
// process ran it.
func (db *DB) LastJobRuns(ctx context.Context) (map[string]JobRun, error) {
	// SQLite takes the bare columns of an aggregate query from the row that holds the MAX.
	rows, err := db.R.QueryContext(ctx, `SELECT id, name, holder, MAX(started_at), duration_ms, result, summary, error
 FROM job_runs GROUP BY name`)
	if err != nil {
		return nil, err
	}
	list, err := scanJobRuns(rows)
	if err != nil {
		return nil, err
	}
	out := make(map[string]JobRun, len(list))
	for _, r := range list {
		out[r.Name] = r
	}
	return out, nil
}

// ListJobRuns returns up to limit runs of the job called name (of every job when name is
// empty), newest first. limit is clamped to 1..1000, with 50 for zero or less.
func (db *DB) ListJobRuns(ctx context.Context, name string, limit int) ([]JobRun, error) {
	limit = Page{Limit: limit}.Normalise().Limit
	var rows *sql.Rows
	var err error
	if name == "" {
		rows, err = db.R.QueryContext(ctx, `SELECT `+jobRunColumns+` FROM job_runs ORDER BY started_at DESC, id DESC LIMIT ?`, limit)
	} else {
		rows, err = db.R.QueryContext(ctx, `SELECT `+jobRunColumns+` FROM job_runs WHERE name = ?
 ORDER BY started_at DESC, id DESC LIMIT ?`, name, limit)
	}
	if err != nil {
		return nil, err
	}
	return scanJobRuns(rows)
}

// PurgeJobRuns deletes runs started before olderThan and returns how many went.
func (db *DB) PurgeJobRuns(ctx context.Context, olderThan int64) (int64, error) {
	res, err := db.W.ExecContext(ctx, `DELETE FROM job_runs WHERE started_at < ?`, olderThan)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func scanJobRuns(rows *sql.Rows) ([]JobRun, error) {
	defer rows.Close()
	out := []JobRun{}
	for rows.Next() {
		var r JobRun
		if err := rows.Scan(&r.ID, &r.Name, &r.Holder, &r.StartedAt, &r.DurationMs, &r.Result, &r.Summary, &r.Error); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
