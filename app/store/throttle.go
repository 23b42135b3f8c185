package store

import "context"

// Hit counts one event against key in a fixed window of windowMs and returns the count in the
// current window. It lives in the database so several Lobby processes share the limits.
func Hit(ctx context.Context, q Q, key string, now, windowMs int64) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `INSERT INTO throttle (key, count, window_start) VALUES (?, 1, ?)
 ON CONFLICT(key) DO UPDATE SET
   count = CASE WHEN throttle.window_start <= ? THEN 1 ELSE throttle.count + 1 END,
   window_start = CASE WHEN throttle.window_start <= ? THEN excluded.window_start ELSE throttle.window_start END
 RETURNING count`, key, now, now-windowMs, now-windowMs).Scan(&n)
	return n, err
}

// HitCount reads the count of key in the current window without adding to it.
func HitCount(ctx context.Context, q Q, key string, now, windowMs int64) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count FROM throttle WHERE key = ? AND window_start > ?`, key, now-windowMs).Scan(&n)
	if err != nil {
		return 0, notFound(err)
	}
	return n, nil
}

// UnHit takes back one event of key, in its current window.
func UnHit(ctx context.Context, q Q, key string) error {
	_, err := q.ExecContext(ctx, `UPDATE throttle SET count = count - 1 WHERE key = ? AND count > 0`, key)
	return err
}

// ClearHits forgets key, e.g. after a successful sign-in.
func ClearHits(ctx context.Context, q Q, key string) error {
	_, err := q.ExecContext(ctx, `DELETE FROM throttle WHERE key = ?`, key)
	return err
}

// PurgeHits deletes windows that ended before the given time.
func PurgeHits(ctx context.Context, q Q, before int64) (int64, error) {
	res, err := q.ExecContext(ctx, `DELETE FROM throttle WHERE window_start <= ?`, before)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
