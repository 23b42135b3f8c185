package store

import (
	"context"
	"database/sql"
	"strings"
)

// Invitation is a single-use link that lets one address into an organization.
type Invitation struct {
	ID, OrgID, Email, EmailNorm, Name, RoleID string
	TokenHash                                 string
	Status                                    string // pending | accepted | expired | revoked
	Kind                                      string // invite | join
	Message                                   string
	InvitedBy                                 string
	ImportID                                  string
	ExpiresAt                                 int64
	SentAt                                    *int64
	SendCount                                 int
	DeliveryStatus, DeliveryError             string
	RemindedAt, OpenedAt, AcceptedAt          *int64
	AcceptedUserID                            string
	RevokedAt                                 *int64
	CreatedAt, UpdatedAt                      int64
	// Read-only, from the joined tables.
	RoleKey, InviterName, InviterEmail string
}

const invitationSelect = `SELECT i.id, i.org_id, i.email, i.email_norm, CAST(i.name AS BLOB), i.role_id, i.token_hash, i.status, i.kind,
 CAST(i.message AS BLOB), i.invited_by, i.import_id, i.expires_at, i.sent_at, i.send_count, i.delivery_status, i.delivery_error,
 i.reminded_at, i.opened_at, i.accepted_at, i.accepted_user_id, i.revoked_at, i.created_at, i.updated_at,
 r.key, CAST(COALESCE(u.name, '') AS BLOB), COALESCE(u.email, '')
 FROM invitations i JOIN roles r ON r.id = i.role_id LEFT JOIN users u ON u.id = i.invited_by`

func scanInvitation(s scanner) (Invitation, error) {
	var i Invitation
	var by, imp, acc sql.NullString
	var sent, rem, opened, accAt, rev sql.NullInt64
	err := s.Scan(&i.ID, &i.OrgID, &i.Email, &i.EmailNorm, &i.Name, &i.RoleID, &i.TokenHash, &i.Status, &i.Kind,
		&i.Message, &by, &imp, &i.ExpiresAt, &sent, &i.SendCount, &i.DeliveryStatus, &i.DeliveryError,
		&rem, &opened, &accAt, &acc, &rev, &i.CreatedAt, &i.UpdatedAt, &i.RoleKey, &i.InviterName, &i.InviterEmail)
	if err != nil {
		return i, notFound(err)
	}
	i.InvitedBy, i.ImportID, i.AcceptedUserID = by.String, imp.String, acc.String
	i.SentAt, i.RemindedAt, i.OpenedAt, i.AcceptedAt, i.RevokedAt = nullInt(sent), nullInt(rem), nullInt(opened), nullInt(accAt), nullInt(rev)
	return i, nil
}

// InsertInvitations inserts pending invitations with multi-row statements (one call into the
// engine per 60 rows instead of one per row) and their team links.
func InsertInvitations(ctx context.Context, q Q, invs []Invitation, teamIDs [][]string) error {
	const cols = 16
	for start := 0; start < len(invs); start += 60 {
		chunk := invs[start:min(start+60, len(invs))]
		args := make([]any, 0, len(chunk)*cols)
		rows := make([]string, len(chunk))
		for k, i := range chunk {
			rows[k] = "(" + placeholders(cols) + ")"
			args = append(args, i.ID, i.OrgID, i.Email, i.EmailNorm, i.Name, i.RoleID, i.TokenHash, i.Kind, i.Message,
				strArg(i.InvitedBy), strArg(i.ImportID), i.ExpiresAt, i.SendCount, i.DeliveryStatus, i.CreatedAt, i.UpdatedAt)
		}
		_, err := q.ExecContext(ctx, `INSERT INTO invitations (id, org_id, email, email_norm, name, role_id, token_hash, kind,
 message, invited_by, import_id, expires_at, send_count, delivery_status, created_at, updated_at) VALUES `+strings.Join(rows, ", "), args...)
		if isUnique(err) {
			return ErrConflict
		}
		if err != nil {
			return err
		}
	}
	var links []any
	for k, ids := range teamIDs {
		for _, t := range ids {
			links = append(links, invs[k].ID, t)
		}
	}
	for start := 0; start < len(links); start += 400 {
		chunk := links[start:min(start+400, len(links))]
		_, err := q.ExecContext(ctx, `INSERT INTO invitation_teams (invitation_id, team_id) VALUES `+
			strings.TrimSuffix(strings.Repeat("(?, ?), ", len(chunk)/2), ", "), chunk...)
		if err != nil {
			return err
		}
	}
	return nil
}

// GetInvitation reads an invitation by id within an organization.
func GetInvitation(ctx context.Context, q Q, orgID, id string) (Invitation, error) {
	return scanInvitation(q.QueryRowContext(ctx, invitationSelect+` WHERE i.org_id = ? AND i.id = ?`, orgID, id))
}

// GetInvitationByToken reads the invitation whose link token hashes to hash, in any organization.
func GetInvitationByToken(ctx context.Context, q Q, hash string) (Invitation, error) {
	return scanInvitation(q.QueryRowContext(ctx, invitationSelect+` WHERE i.token_hash = ?`, hash))
}

// PendingInvitationsByEmail returns the pending invitations among the given addresses.
func PendingInvitationsByEmail(ctx context.Context, q Q, orgID string, emails []string) (map[string]Invitation, error) {
	out := map[string]Invitation{}
	for start := 0; start < len(emails); start += 500 {
		chunk := emails[start:min(start+500, len(emails))]
		args := []any{orgID}
		for _, e := range chunk {
			args = append(args, e)
		}
		// INDEXED BY: left to itself the planner walks every pending invitation of the
		// organization through invitations_org_status, which grows with the organization.
		list, err := queryInvitations(ctx, q, strings.Replace(invitationSelect, "FROM invitations i", "FROM invitations i INDEXED BY invitations_one_pending", 1)+
			` WHERE i.org_id = ? AND i.status = 'pending' AND i.email_norm IN (`+placeholders(len(chunk))+`)`, args...)
		if err != nil {
			return nil, err
		}
		for _, i := range list {
			out[i.EmailNorm] = i
		}
	}
	return out, nil
}

func queryInvitations(ctx context.Context, q Q, query string, args ...any) ([]Invitation, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Invitation{}
	for rows.Next() {
		i, err := scanInvitation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// TeamsOfInvitations maps each given invitation id to its teams.
func TeamsOfInvitations(ctx context.Context, q Q, ids []string) (map[string][]Team, error) {
	return teamsOf(ctx, q, `SELECT it.invitation_id, `+teamColumns+` FROM invitation_teams it JOIN teams t ON t.id = it.team_id
 WHERE it.invitation_id IN (%s) ORDER BY t.name_norm`, ids)
}

// SetInvitationTeams replaces the teams of an invitation.
func SetInvitationTeams(ctx context.Context, q Q, invitationID string, teamIDs []string) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM invitation_teams WHERE invitation_id = ?`, invitationID); err != nil {
		return err
	}
	for _, t := range teamIDs {
		if _, err := q.ExecContext(ctx, `INSERT INTO invitation_teams (invitation_id, team_id) VALUES (?, ?)`, invitationID, t); err != nil {
			return err
		}
	}
	return nil
}

// SetInvitationRole changes the role of a pending invitation.
func SetInvitationRole(ctx context.Context, q Q, orgID, id, roleID string, now int64) error {
	return affectedOne(q.ExecContext(ctx, `UPDATE invitations SET role_id = ?, updated_at = ? WHERE org_id = ? AND id = ? AND status = 'pending'`,
		roleID, now, orgID, id))
}

// RenewInvitation gives an invitation a new token and expiry and makes it pending again; the
// old link stops working at once because its hash is gone. Only pending and expired ones renew.
// Emails of the invitation still queued (or being sent) carry the old link, so they are
// cancelled, and the delivery status starts again at not_sent: it describes the new link, which
// no email carries until the caller queues one (EnqueueMails then makes it queued).
func RenewInvitation(ctx context.Context, q Q, orgID, id, tokenHash string, expiresAt, now int64) error {
	res, err := q.ExecContext(ctx, `UPDATE invitations SET token_hash = ?, expires_at = ?, status = 'pending', reminded_at = NULL,
 delivery_status = 'not_sent', delivery_error = '', updated_at = ? WHERE org_id = ? AND id = ? AND status IN ('pending', 'expired')`,
		tokenHash, expiresAt, now, orgID, id)
	if isUnique(err) {
		return ErrConflict
	}
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	_, err = q.ExecContext(ctx, `UPDATE outbox SET status = 'cancelled', last_error = 'its link was replaced by a newer one'
 WHERE status = 'queued' AND invitation_id = ?`, id)
	return err
}

// MarkInvitationSending counts one more send of an invitation.
func MarkInvitationSending(ctx context.Context, q Q, id string, now int64) error {
	_, err := q.ExecContext(ctx, `UPDATE invitations SET send_count = send_count + 1, updated_at = ? WHERE id = ?`, now, id)
	return err
}

// RevokeInvitation revokes a pending invitation; anything else is ErrNotFound.
func RevokeInvitation(ctx context.Context, q Q, orgID, id string, now int64) error {
	return affectedOne(q.ExecContext(ctx, `UPDATE invitations SET status = 'revoked', revoked_at = ?, updated_at = ?
 WHERE org_id = ? AND id = ? AND status = 'pending'`, now, now, orgID, id))
}

// ConsumeInvitation marks a pending, unexpired invitation accepted by userID. It touches exactly
// one row or returns ErrNotFound: this conditional update is what makes a link single-use.
func ConsumeInvitation(ctx context.Context, q Q, id, userID string, now int64) error {
	return affectedOne(q.ExecContext(ctx, `UPDATE invitations SET status = 'accepted', accepted_at = ?, accepted_user_id = ?,
 updated_at = ? WHERE id = ? AND status = 'pending' AND expires_at > ?`, now, userID, now, id, now))
}

// MarkInvitationOpened records the first time the link was opened.
func MarkInvitationOpened(ctx context.Context, q Q, id string, now int64) error {
	_, err := q.ExecContext(ctx, `UPDATE invitations SET opened_at = ? WHERE id = ? AND opened_at IS NULL`, now, id)
	return err
}

// ExpireEmails expires the pending invitations of the given addresses whose time has passed, so
// a new invitation to them does not collide with a stale one the job has not swept yet.
func ExpireEmails(ctx context.Context, q Q, orgID string, emails []string, now int64) error {
	for start := 0; start < len(emails); start += 500 {
		chunk := emails[start:min(start+500, len(emails))]
		args := []any{now, orgID, now}
		for _, e := range chunk {
			args = append(args, e)
		}
		_, err := q.ExecContext(ctx, `UPDATE invitations INDEXED BY invitations_one_pending SET status = 'expired', updated_at = ?
 WHERE org_id = ? AND status = 'pending' AND expires_at <= ? AND email_norm IN (`+placeholders(len(chunk))+`)`, args...)
		if err != nil {
			return err
		}
	}
	return nil
}

// ExpireInvitations marks the invitations with the given rowids (Due.RowID) expired if they
// are still pending and due, and returns how many it changed. By rowid, each row is found in
// the table directly, not through the index of ids first.
func ExpireInvitations(ctx context.Context, q Q, rowids []int64, now int64) (int64, error) {
	args := []any{now}
	for _, id := range rowids {
		args = append(args, id)
	}
	args = append(args, now)
	// OR FAIL: leaving 'pending' can break no constraint, and without the default ABORT SQLite
	// does not copy every page the statement changes into a statement journal first. On a
	// failure all the same the caller's transaction is rolled back.
	res, err := q.ExecContext(ctx, `UPDATE OR FAIL invitations SET status = 'expired', updated_at = ? WHERE rowid IN (`+
		placeholders(len(rowids))+`) AND status = 'pending' AND expires_at <= ?`, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// CountPendingInvitations counts the invitations that hold a seat: pending and not yet due.
func CountPendingInvitations(ctx context.Context, q Q, orgID string, now int64) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM invitations WHERE org_id = ? AND status = 'pending' AND expires_at > ?`,
		orgID, now).Scan(&n)
	return n, err
}

// reassignInviterSQL and countByInviterSQL find the invitations one person sent through the
// index invitations_inviter (migration 17).
const (
	reassignInviterSQL = `UPDATE invitations SET invited_by = ? WHERE org_id = ? AND invited_by = ?`
	countByInviterSQL  = `SELECT count(*) FROM invitations WHERE org_id = ? AND invited_by = ?`
)

// CountInvitationsByInviter is how many invitations of an organization one person sent, in
// any status: what deleting them hands to someone else.
func CountInvitationsByInviter(ctx context.Context, q Q, orgID, userID string) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, countByInviterSQL, orgID, userID).Scan(&n)
	return n, err
}

// ReassignInviter hands the invitations sent by one person to another (or to nobody).
func ReassignInviter(ctx context.Context, q Q, orgID, fromUserID, toUserID string) (int64, error) {
	res, err := q.ExecContext(ctx, reassignInviterSQL, strArg(toUserID), orgID, fromUserID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// InsertJoinRequest stores a confirmed join request awaiting an admin (status "requested");
// one open request per address and organization.
func InsertJoinRequest(ctx context.Context, q Q, i Invitation) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM invitations WHERE org_id = ? AND email_norm = ? AND status = 'requested'`,
		i.OrgID, i.EmailNorm).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return ErrConflict
	}
	_, err := q.ExecContext(ctx, `INSERT INTO invitations (id, org_id, email, email_norm, name, role_id, token_hash, status, kind,
 expires_at, delivery_status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		i.ID, i.OrgID, i.Email, i.EmailNorm, i.Name, i.RoleID, i.TokenHash, i.Status, i.Kind, i.ExpiresAt, i.DeliveryStatus, i.CreatedAt, i.UpdatedAt)
	return err
}

// requestsOfEmail is WaitingJoinRequests' query; it reads the partial index of requests by address.
const requestsOfEmail = invitationSelect + ` WHERE i.email_norm = ? AND i.status = 'requested' ORDER BY i.created_at`

// WaitingJoinRequests lists an address's join requests still waiting for an admin, in every
// organization, oldest first.
func WaitingJoinRequests(ctx context.Context, q Q, emailNorm string) ([]Invitation, error) {
	return queryInvitations(ctx, q, requestsOfEmail, emailNorm)
}

// SetInvitationStatus records a decision on an invitation or join request.
func SetInvitationStatus(ctx context.Context, q Q, id, status string, now int64) error {
	return affectedOne(q.ExecContext(ctx, `UPDATE invitations SET status = ?, updated_at = ? WHERE id = ?`, status, now, id))
}

// Due is the little the expire job needs of a pending invitation past its expiry.
type Due struct {
	RowID                              int64
	ID, OrgID, EmailNorm, InviterEmail string
}

// DueForExpiry returns up to limit pending invitations whose expiry has passed, oldest expiry
// first, reading only five columns through the partial index of pending expiries.
func DueForExpiry(ctx context.Context, q Q, now int64, limit int) ([]Due, error) {
	rows, err := q.QueryContext(ctx, `SELECT i.rowid, i.id, i.org_id, i.email_norm, COALESCE(u.email, '')
 FROM invitations i INDEXED BY invitations_pending_expiry LEFT JOIN users u ON u.id = i.invited_by
 WHERE i.status = 'pending' AND i.expires_at <= ? ORDER BY i.expires_at LIMIT ?`, now, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Due
	for rows.Next() {
		var d Due
		if err := rows.Scan(&d.RowID, &d.ID, &d.OrgID, &d.EmailNorm, &d.InviterEmail); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
