package store

import (
	"context"
	"math"
)

// OrgsWithReminders lists the organizations that send reminders, with how long before an
// invitation's expiry they do.
func OrgsWithReminders(ctx context.Context, q Q) (map[string]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, remind_before_ms FROM organizations WHERE remind_before_ms > 0`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id string
		var ms int64
		if err := rows.Scan(&id, &ms); err != nil {
			return nil, err
		}
		out[id] = ms
	}
	return out, rows.Err()
}

// RemindMark is how far a run of the remind job has got through one organization's pending
// invitations, in the order of their expiry: the zero mark is the start.
type RemindMark struct{ ExpiresAt, RowID int64 }

// remindable reads, in order of expiry after mark, one organization's pending invitations that
// were emailed and not reminded and expire after now but within window ms. It walks only
// that stretch of the organization's pending expiries (invitations_org_pending_expiry), never
// the invitations of organizations without reminders, and from the mark on, so a run does not
// read again what it has reminded already.
const remindable = `SELECT i.rowid, i.expires_at, i.reminded_at IS NULL AND i.sent_at IS NOT NULL
 FROM invitations i INDEXED BY invitations_org_pending_expiry
 WHERE i.org_id = ? AND i.status = 'pending' AND (i.expires_at, i.rowid) > (?, ?) AND i.expires_at <= ?
 ORDER BY i.expires_at, i.rowid LIMIT ?`

// remindScan is how many rows of the window one read walks at least: most runs find nothing
// due, and reading one row at a time would cost a query per row reminded before.
const remindScan = 500

// RemindableInvitations returns up to limit invitations of one organization that are due a
// reminder, and the mark to pass for the next ones; fewer than limit means none are left.
func RemindableInvitations(ctx context.Context, q Q, orgID string, now, window int64, mark RemindMark, limit int) ([]Invitation, RemindMark, error) {
	ids, mark, err := remindableRowIDs(ctx, q, orgID, now, window, mark, limit)
	if err != nil || len(ids) == 0 {
		return nil, mark, err
	}
	list, err := queryInvitations(ctx, q, invitationSelect+` WHERE i.rowid IN (`+placeholders(len(ids))+`)`, ids...)
	return list, mark, err
}

// RemindDueAfter reports whether an invitation of the organization is due a reminder after
// mark, reading only the index and the rows' flags, not the invitation: the remind job asks
// this on a reader before it takes the writer.
func RemindDueAfter(ctx context.Context, q Q, orgID string, now, window int64, mark RemindMark) (bool, error) {
	ids, _, err := remindableRowIDs(ctx, q, orgID, now, window, mark, 1)
	return len(ids) > 0, err
}

// remindableRowIDs walks the window from mark and returns the rowids of up to limit
// invitations due a reminder, and the mark after the last row it used.
func remindableRowIDs(ctx context.Context, q Q, orgID string, now, window int64, mark RemindMark, limit int) ([]any, RemindMark, error) {
	if mark.ExpiresAt <= now {
		mark = RemindMark{ExpiresAt: now, RowID: math.MaxInt64}
	}
	scan := max(limit, remindScan)
	var ids []any
	for len(ids) < limit {
		rows, err := q.QueryContext(ctx, remindable, orgID, mark.ExpiresAt, mark.RowID, now+window, scan)
		if err != nil {
			return nil, mark, err
		}
		read, full := 0, false
		for rows.Next() {
			var next RemindMark
			var due bool
			if err := rows.Scan(&next.RowID, &next.ExpiresAt, &due); err != nil {
				rows.Close()
				return nil, mark, err
			}
			if due {
				if full = len(ids) == limit; full {
					break // the mark stays before this one, for the next call
				}
				ids = append(ids, next.RowID)
			}
			mark, read = next, read+1
		}
		err = rows.Err() // Close reports only closing; a failed Next is here
		rows.Close()
		if err != nil {
			return nil, mark, err
		}
		if full || read < scan {
			break
		}
	}
	return ids, mark, nil
}

// MarkReminded records that a reminder went out.
func MarkReminded(ctx context.Context, q Q, id string, now int64) error {
	_, err := q.ExecContext(ctx, `UPDATE invitations SET reminded_at = ? WHERE id = ?`, now, id)
	return err
}
