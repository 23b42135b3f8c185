package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/lobby/lobby/app/store/engine"
)

// BackupUnsent is what an email still queued when a backup was made says in a database
// restored from it: backups keep no links, so it was not sent.
const BackupUnsent = "Not sent: it was still waiting to go out when the backup this database comes from was made, " +
	"and backups keep no links. Send an invitation again to make a new link; someone waiting for a password reset or a join email asks again."

// Backup writes a consistent copy of the database to path with VACUUM INTO, which reads one
// snapshot while writers go on. The file must not exist yet. It is made readable by its owner
// and group only, as the database is, before anything is written to it (VACUUM INTO fills an
// empty file). In the copy, every email still queued loses the tokens of its links (redact
// removes them) and counts as failed with BackupUnsent, so a backup holds no usable link.
func (db *DB) Backup(ctx context.Context, path string, redact func(string) string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s exists already; choose a new file name", path)
	}
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	// The copy is made and scrubbed under a temporary name, so that the file at path never
	// holds a usable link, even if the process stops in between.
	tmp := path + ".partial"
	if err := os.Rename(path, tmp); err != nil {
		_ = os.Remove(path)
		return err
	}
	if _, err := db.R.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if err := scrubQueuedMail(ctx, tmp, redact); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("removing the links of queued emails from the copy: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return nil
}

// scrubQueuedMail redacts the queued emails of the database file at path and marks them
// failed, with their invitations' delivery status.
func scrubQueuedMail(ctx context.Context, path string, redact func(string) string) error {
	copyDB := sql.OpenDB(engine.Connector{Path: path})
	defer copyDB.Close()
	tx, err := copyDB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	rows, err := tx.QueryContext(ctx, `SELECT id, data FROM outbox WHERE status = 'queued'`)
	if err != nil {
		return err
	}
	queued := map[string]string{}
	for rows.Next() {
		var id, data string
		if err := rows.Scan(&id, &data); err != nil {
			rows.Close()
			return err
		}
		queued[id] = data
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for id, data := range queued {
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'failed', last_error = ?, data = ? WHERE id = ?`,
			BackupUnsent, redact(data), id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE invitations SET delivery_status = 'failed', delivery_error = ?
 WHERE id = (SELECT invitation_id FROM outbox WHERE id = ?) AND NOT `+newerMail, BackupUnsent, id, id); err != nil {
			return err
		}
	}
	return tx.Commit()
}
