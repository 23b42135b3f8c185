package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// OutboxMail is one email waiting in, or delivered from, the outbox. Data is the JSON object
// its template is rendered with at send time; it holds link tokens and must never be logged.
type OutboxMail struct {
	ID, OrgID, InvitationID, Template, To string
	Data                                  []byte
	// Status is queued, sent, failed or cancelled (replaced by a newer email for the same
	// invitation, or the invitation stopped being pending before the email went out).
	Status               string
	Attempts             int
	NextAttemptAt        int64
	LastError, MessageID string
	CreatedAt            int64
	SentAt               *int64
}

const outboxColumns = `id, COALESCE(org_id, ''), COALESCE(invitation_id, ''), template, to_addr, data, status, attempts,
 next_attempt_at, last_error, message_id, created_at, sent_at`

// scanOutbox reads the outboxColumns of a row, then any extra columns into extra.
func scanOutbox(s scanner, extra ...any) (OutboxMail, error) {
	var m OutboxMail
	var data string
	var sent sql.NullInt64
	err := s.Scan(append([]any{&m.ID, &m.OrgID, &m.InvitationID, &m.Template, &m.To, &data, &m.Status, &m.Attempts,
		&m.NextAttemptAt, &m.LastError, &m.MessageID, &m.CreatedAt, &sent}, extra...)...)
	if err != nil {
		return m, notFound(err)
	}
	m.Data, m.SentAt = []byte(data), nullInt(sent)
	return m, nil
}

// newerMail is true when a later email exists for the same invitation: only the newest email
// of an invitation may change its delivery status, because only its link still works.
const newerMail = `EXISTS (SELECT 1 FROM outbox n WHERE n.invitation_id = invitations.id AND n.id > ?)`

// EnqueueMail queues one email inside the caller's transaction, so the email exists exactly
// when the change that causes it commits. It returns the new row's id.
func EnqueueMail(ctx context.Context, q Q, m OutboxMail, now int64) (string, error) {
	if m.ID == "" {
		m.ID = NewID()
	}
	return m.ID, EnqueueMails(ctx, q, []OutboxMail{m}, now)
}

// EnqueueMails queues emails in bulk inside the caller's transaction, due at once. Rows without
// an id get a new one. For emails about an invitation, older queued emails of that invitation
// are cancelled (their link no longer works) and its delivery status becomes queued.
func EnqueueMails(ctx context.Context, q Q, ms []OutboxMail, now int64) error {
	var invIDs []any
	for k := range ms {
		m := &ms[k]
		if m.Template == "" || m.To == "" {
			return errors.New("outbox: an email needs a template and a recipient")
		}
		if m.ID == "" {
			m.ID = NewID()
		}
		if m.InvitationID != "" {
			invIDs = append(invIDs, m.InvitationID)
		}
	}
	for start := 0; start < len(invIDs); start += 500 {
		chunk := invIDs[start:min(start+500, len(invIDs))]
		if _, err := q.ExecContext(ctx, `UPDATE outbox SET status = 'cancelled', last_error = 'replaced by a newer email'
 WHERE status = 'queued' AND invitation_id IN (`+placeholders(len(chunk))+`)`, chunk...); err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, `UPDATE invitations SET delivery_status = 'queued', delivery_error = ''
 WHERE id IN (`+placeholders(len(chunk))+`)`, chunk...); err != nil {
			return err
		}
	}
	return insertMails(ctx, q, ms, now)
}

// EnqueueNewMails queues the first emails of invitations created in the same transaction:
// there is nothing older to cancel and their delivery status was written with them, so it
// only inserts.
func EnqueueNewMails(ctx context.Context, q Q, ms []OutboxMail, now int64) error {
	for k := range ms {
		if ms[k].Template == "" || ms[k].To == "" {
			return errors.New("outbox: an email needs a template and a recipient")
		}
		if ms[k].ID == "" {
			ms[k].ID = NewID()
		}
	}
	return insertMails(ctx, q, ms, now)
}

func insertMails(ctx context.Context, q Q, ms []OutboxMail, now int64) error {
	const cols = 8
	for start := 0; start < len(ms); start += 100 {
		chunk := ms[start:min(start+100, len(ms))]
		args := make([]any, 0, len(chunk)*cols)
		for _, m := range chunk {
			data := string(m.Data)
			if data == "" {
				data = "{}"
			}
			args = append(args, m.ID, strArg(m.OrgID), strArg(m.InvitationID), m.Template, m.To, data, now, now)
		}
		rows := strings.TrimSuffix(strings.Repeat("("+placeholders(cols)+"), ", len(chunk)), ", ")
		_, err := q.ExecContext(ctx, `INSERT INTO outbox (id, org_id, invitation_id, template, to_addr, data, next_attempt_at,
 created_at) VALUES `+rows, args...)
		if isUnique(err) {
			return ErrConflict
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// NewerMailExists reports whether the invitation of email id has an email newer than it.
func (db *DB) NewerMailExists(ctx context.Context, id string) (bool, error) {
	var n int
	err := db.R.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM outbox o JOIN outbox n ON n.invitation_id = o.invitation_id
 AND n.id > o.id WHERE o.id = ?)`, id).Scan(&n)
	return n == 1, err
}

// MarkMailSent records a delivery and replaces the email's data with kept, what may stay once
// it is sent (the sender takes the links' tokens out); the invitation the email belongs to
// becomes sent unless a newer email for it exists or its link was renewed while the email was
// on its way (RenewInvitation made it not_sent: the email went, with a link that no longer works).
func (db *DB) MarkMailSent(ctx context.Context, id, messageID string, kept []byte, now int64) error {
	return db.Tx(ctx, func(q Q) error {
		if err := affectedOne(q.ExecContext(ctx, `UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?,
 attempts = attempts + 1, last_error = '', data = ? WHERE id = ?`, now, messageID, string(kept), id)); err != nil {
			return err
		}
		_, err := q.ExecContext(ctx, `UPDATE invitations SET delivery_status = 'sent', delivery_error = '', sent_at = ?
 WHERE id = (SELECT invitation_id FROM outbox WHERE id = ?) AND delivery_status = 'queued' AND NOT `+newerMail, now, id, id)
		return err
	})
}

// MarkMailRetry counts a failed attempt and sets when the next one is due. The invitation
// keeps its queued delivery status: the email is not lost.
func (db *DB) MarkMailRetry(ctx context.Context, id, errText string, next int64) error {
	_, err := db.W.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?
 WHERE id = ? AND status = 'queued'`, errText, next, id)
	return err
}

// MarkMailFailed gives up on a queued email and replaces its data with kept (the sender takes
// the links' tokens out); its invitation shows delivery status failed with the reason, unless a
// newer email for it exists. An email cancelled meanwhile stays cancelled.
func (db *DB) MarkMailFailed(ctx context.Context, id, errText string, kept []byte, now int64) error {
	return db.Tx(ctx, func(q Q) error {
		res, err := q.ExecContext(ctx, `UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?,
 next_attempt_at = ?, data = ? WHERE id = ? AND status = 'queued'`, errText, now, string(kept), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		_, err = q.ExecContext(ctx, `UPDATE invitations SET delivery_status = 'failed', delivery_error = ?
 WHERE id = (SELECT invitation_id FROM outbox WHERE id = ?) AND NOT `+newerMail, errText, id, id)
		return err
	})
}

// RetryMail queues a failed email again with a fresh count of attempts, due at now. It answers
// ErrNotFound for an unknown id and ErrConflict when the email has not failed or a newer email
// for the same invitation exists (its link would no longer work).
func (db *DB) RetryMail(ctx context.Context, id string, now int64) error {
	return db.Tx(ctx, func(q Q) error {
		res, err := q.ExecContext(ctx, `UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = ? WHERE id = ?
 AND status = 'failed' AND NOT EXISTS (SELECT 1 FROM outbox n WHERE n.invitation_id = outbox.invitation_id AND n.id > outbox.id)`, now, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				if _, err = getMail(ctx, q, id); err == nil {
					err = ErrConflict
				}
			}
			return err
		}
		_, err = q.ExecContext(ctx, `UPDATE invitations SET delivery_status = 'queued', delivery_error = ''
 WHERE id = (SELECT invitation_id FROM outbox WHERE id = ?)`, id)
		return err
	})
}

// ListMail returns one page of emails, newest first, of one organization (every email when
// orgID is empty), optionally of one status.
func (db *DB) ListMail(ctx context.Context, orgID, status string, p Page) ([]OutboxMail, error) {
	p = p.Normalise()
	where, args := []string{"1 = 1"}, []any{}
	if orgID != "" {
		where, args = append(where, "org_id = ?"), append(args, orgID)
	}
	if status != "" {
		where, args = append(where, "status = ?"), append(args, status)
	}
	if p.Cursor != "" {
		where, args = append(where, "id < ?"), append(args, p.Cursor)
	}
	args = append(args, p.sqlLimit())
	return queryOutbox(ctx, db.R, `SELECT `+outboxColumns+` FROM outbox WHERE `+strings.Join(where, " AND ")+
		` ORDER BY id DESC LIMIT ?`, args...)
}

// MailOfInvitation returns the emails of one invitation of an organization, oldest first.
func MailOfInvitation(ctx context.Context, q Q, orgID, invitationID string) ([]OutboxMail, error) {
	return queryOutbox(ctx, q, `SELECT `+outboxColumns+` FROM outbox WHERE invitation_id = ? AND org_id = ? ORDER BY id LIMIT 200`,
		invitationID, orgID)
}

// GetMail reads one email by id.
func (db *DB) GetMail(ctx context.Context, id string) (OutboxMail, error) {
	return getMail(ctx, db.R, id)
}

func getMail(ctx context.Context, q Q, id string) (OutboxMail, error) {
	return scanOutbox(q.QueryRowContext(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE id = ?`, id))
}

// PurgeSentMail deletes emails delivered before olderThan, and cancelled ones created before
// it, 1,000 rows per statement so the writer is never held for long. It returns the count.
func (db *DB) PurgeSentMail(ctx context.Context, olderThan int64) (int64, error) {
	var total int64
	for {
		res, err := db.W.ExecContext(ctx, `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox
 WHERE (status = 'sent' AND sent_at < ?) OR (status = 'cancelled' AND created_at < ?) LIMIT 1000)`, olderThan, olderThan)
		if err != nil {
			return total, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, err
		}
		total += n
		if n < 1000 {
			return total, nil
		}
	}
}

func queryOutbox(ctx context.Context, q Q, query string, args ...any) ([]OutboxMail, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []OutboxMail{}
	for rows.Next() {
		m, err := scanOutbox(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
