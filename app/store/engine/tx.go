package engine

import (
	"context"
	"database/sql/driver"
)

// This file holds the small values the driver hands database/sql: transactions, results and
// prepared statements.

// tx is a transaction begun by BeginTx.
type tx struct{ c *Conn }

func (t tx) Commit() error {
	_, err := t.c.ExecContext(context.Background(), "COMMIT", nil)
	return err
}

func (t tx) Rollback() error {
	_, err := t.c.ExecContext(context.Background(), "ROLLBACK", nil)
	return err
}

type result struct{ id, n int64 }

func (r result) LastInsertId() (int64, error) { return r.id, nil }
func (r result) RowsAffected() (int64, error) { return r.n, nil }

// prepared is what PrepareContext returns.
type prepared struct {
	c     *Conn
	query string
}

func (p *prepared) Close() error  { return nil }
func (p *prepared) NumInput() int { return -1 }

func (p *prepared) Exec(args []driver.Value) (driver.Result, error) {
	return p.c.ExecContext(context.Background(), p.query, named(args))
}

func (p *prepared) Query(args []driver.Value) (driver.Rows, error) {
	return p.c.QueryContext(context.Background(), p.query, named(args))
}

func (p *prepared) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return p.c.ExecContext(ctx, p.query, args)
}

func (p *prepared) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return p.c.QueryContext(ctx, p.query, args)
}

func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, v := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return out
}
