package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// ExpireUntoldSince returns when the expire run that has not told the inviters yet started,
// and false when every run finished telling them.
func ExpireUntoldSince(ctx context.Context, q Q) (int64, bool, error) {
	var since sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT min(since) FROM expire_untold`).Scan(&since)
	return since.Int64, since.Valid, err
}

// MarkExpireUntold records, inside the transaction of an expire run's first chunk, before its
// audit entries are made, that the run has expired invitations whose inviters it has not told
// yet; an earlier mark stays. The time is the wall clock's, as in the ids NewID makes.
func MarkExpireUntold(ctx context.Context, q Q) error {
	_, err := q.ExecContext(ctx, `INSERT INTO expire_untold (since) SELECT ? WHERE NOT EXISTS (SELECT 1 FROM expire_untold)`,
		time.Now().UnixMilli()-1)
	return err
}

// ClearExpireUntold records, inside the transaction that queues the notices, that the
// inviters were told.
func ClearExpireUntold(ctx context.Context, q Q) error {
	_, err := q.ExecContext(ctx, `DELETE FROM expire_untold`)
	return err
}

// Expired is one invitation the expire job expired, for its inviter's notice.
type Expired struct{ ID, OrgID, InviterEmail, EmailNorm string }

// ExpiredSince lists the invitations the expire job expired from the millisecond since on,
// oldest first, read back from the audit log (whose ids begin with their time, by the clock of
// the process that wrote them): for the notices of a run that stopped before sending them.
func ExpiredSince(ctx context.Context, q Q, since int64) ([]Expired, error) {
	rows, err := q.QueryContext(ctx, expiredSince, idAt(since))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Expired
	for rows.Next() {
		var e Expired
		if err := rows.Scan(&e.ID, &e.OrgID, &e.InviterEmail, &e.EmailNorm); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

const expiredSince = `SELECT i.id, a.org_id, COALESCE(u.email, ''), i.email_norm
 FROM audit_log a JOIN invitations i ON i.id = a.target_id LEFT JOIN users u ON u.id = i.invited_by
 WHERE a.id >= ? AND a.action = 'invitation.expired' AND a.actor_kind = 'system' ORDER BY a.id`

// idAt is the smallest id NewID can make at the millisecond ms (0 for any time before 1970):
// a UUIDv7 begins with its time.
func idAt(ms int64) string {
	ms = max(ms, 0)
	return fmt.Sprintf("%08x-%04x-0000-0000-000000000000", uint64(ms)>>16, uint64(ms)&0xffff)
}
