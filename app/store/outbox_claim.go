package store

import (
	"context"
	"time"
)

// ClaimDueMail takes up to limit queued emails due at now, oldest due first, and moves their
// next attempt to now+lease in the same transaction, so another Lobby process sharing the
// database does not send them too. An email whose invitation is no longer pending is cancelled
// instead of claimed. Only the rows about to be taken are looked at: checking every due row
// made each claim cost as much as the whole queue, so a queue of 20,000 emails (a large import)
// was read again for every 50 sent, inside the write transaction.
func (db *DB) ClaimDueMail(ctx context.Context, now int64, limit int, lease time.Duration) ([]OutboxMail, error) {
	// A read first keeps the idle poll from taking the write lock every few seconds.
	var due int
	err := db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM outbox WHERE status = 'queued'
 AND next_attempt_at <= ? LIMIT 1)`, now).Scan(&due)
	if err != nil || due == 0 {
		return []OutboxMail{}, err
	}
	out := []OutboxMail{}
	err = db.Tx(ctx, func(q Q) error {
		for {
			list, dead, err := dueMail(ctx, q, now, limit)
			if err != nil {
				return err
			}
			if len(dead) > 0 {
				if _, err := q.ExecContext(ctx, `UPDATE outbox SET status = 'cancelled',
 last_error = 'the invitation is no longer pending' WHERE id IN (`+placeholders(len(dead))+`)`, dead...); err != nil {
					return err
				}
			}
			if len(list) > 0 {
				args := []any{now + lease.Milliseconds()}
				for _, m := range list {
					args = append(args, m.ID)
				}
				_, err := q.ExecContext(ctx, `UPDATE outbox SET next_attempt_at = ? WHERE id IN (`+placeholders(len(list))+`)`, args...)
				out = list
				return err
			}
			if len(dead) < limit { // nothing more is due
				return nil
			}
		}
	})
	return out, err
}

// dueMail reads the first limit queued emails due at now and sorts them into those to send
// and the ids of those whose invitation is no longer pending.
func dueMail(ctx context.Context, q Q, now int64, limit int) (list []OutboxMail, dead []any, err error) {
	rows, err := q.QueryContext(ctx, `SELECT `+outboxColumns+`, invitation_id IS NOT NULL AND NOT EXISTS
 (SELECT 1 FROM invitations i WHERE i.id = outbox.invitation_id AND i.status = 'pending')
 FROM outbox WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`, now, limit)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var gone bool
		m, err := scanOutbox(rows, &gone)
		if err != nil {
			return nil, nil, err
		}
		if gone {
			dead = append(dead, m.ID)
		} else {
			list = append(list, m)
		}
	}
	return list, dead, rows.Err()
}

// PostponeMail moves the next attempt of queued emails to next without counting an attempt,
// noting why: for when the mail server cannot be reached at all.
func (db *DB) PostponeMail(ctx context.Context, ids []string, reason string, next int64) error {
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := []any{next, reason}
		for _, id := range chunk {
			args = append(args, id)
		}
		if _, err := db.W.ExecContext(ctx, `UPDATE outbox SET next_attempt_at = ?, last_error = ? WHERE status = 'queued' AND id IN (`+
			placeholders(len(chunk))+`)`, args...); err != nil {
			return err
		}
	}
	return nil
}

// ReleaseMail hands emails claimed until claimedUntil back at once, for any sender to take:
// for a sender that stops before sending them, so they do not wait for the claim's lease to
// end. An email claimed again since (its claim ended, another sender took it) is left alone.
func (db *DB) ReleaseMail(ctx context.Context, ids []string, claimedUntil, now int64) error {
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := []any{now, claimedUntil}
		for _, id := range chunk {
			args = append(args, id)
		}
		if _, err := db.W.ExecContext(ctx, `UPDATE outbox SET next_attempt_at = ? WHERE status = 'queued' AND next_attempt_at = ?
 AND id IN (`+placeholders(len(chunk))+`)`, args...); err != nil {
			return err
		}
	}
	return nil
}
