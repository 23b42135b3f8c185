package store

import (
	"context"
	"database/sql"
	"strings"
)

// Import is one uploaded CSV file of invitations: its preview and, once committed, the
// invitations made from it (which carry its id).
type Import struct {
	ID, OrgID, Filename string
	Status              string // reading | preview | committing | committed | cancelled
	Notify              bool
	Counts              string // JSON kept by app/org: counts per outcome, options and progress
	CreatedBy           string // user id of the person (or a token's creator), if any
	CreatedAt           int64
	CommittedAt         *int64
	// Read-only, from the users table.
	CreatorName, CreatorEmail string
}

const importSelect = `SELECT im.id, im.org_id, CAST(im.filename AS BLOB), im.status, im.notify, im.counts, im.created_by, im.created_at,
 im.committed_at, COALESCE(u.name, ''), COALESCE(u.email, '') FROM imports im LEFT JOIN users u ON u.id = im.created_by`

func scanImport(s scanner) (Import, error) {
	var im Import
	var by sql.NullString
	var committed sql.NullInt64
	err := s.Scan(&im.ID, &im.OrgID, &im.Filename, &im.Status, &im.Notify, &im.Counts, &by, &im.CreatedAt, &committed,
		&im.CreatorName, &im.CreatorEmail)
	if err != nil {
		return im, notFound(err)
	}
	im.CreatedBy, im.CommittedAt = by.String, nullInt(committed)
	return im, nil
}

// CreateImport inserts an import.
func CreateImport(ctx context.Context, q Q, im Import) error {
	_, err := q.ExecContext(ctx, `INSERT INTO imports (id, org_id, filename, status, notify, counts, created_by, created_at,
 committed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, im.ID, im.OrgID, im.Filename, im.Status, im.Notify, im.Counts,
		strArg(im.CreatedBy), im.CreatedAt, intArg(im.CommittedAt))
	return err
}

// GetImport reads an import by id within an organization.
func GetImport(ctx context.Context, q Q, orgID, id string) (Import, error) {
	return scanImport(q.QueryRowContext(ctx, importSelect+` WHERE im.org_id = ? AND im.id = ?`, orgID, id))
}

// ListImports returns one page of an organization's imports, newest first.
func ListImports(ctx context.Context, q Q, orgID string, p Page) ([]Import, error) {
	p = p.Normalise()
	where, args := "im.org_id = ?", []any{orgID}
	if p.Cursor != "" {
		where, args = where+" AND im.id < ?", append(args, p.Cursor)
	}
	rows, err := q.QueryContext(ctx, importSelect+` WHERE `+where+` ORDER BY im.id DESC LIMIT ?`, append(args, p.sqlLimit())...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Import{}
	for rows.Next() {
		im, err := scanImport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, im)
	}
	return out, rows.Err()
}

// UpdateImport writes an import's status, notify flag, counts and commit time. When fromStatus
// is given the row only changes while its status is one of them; otherwise it is ErrNotFound.
func UpdateImport(ctx context.Context, q Q, im Import, fromStatus ...string) error {
	query := `UPDATE imports SET status = ?, notify = ?, counts = ?, committed_at = ? WHERE org_id = ? AND id = ?`
	args := []any{im.Status, im.Notify, im.Counts, intArg(im.CommittedAt), im.OrgID, im.ID}
	if len(fromStatus) > 0 {
		query += ` AND status IN (` + placeholders(len(fromStatus)) + `)`
		for _, s := range fromStatus {
			args = append(args, s)
		}
	}
	return affectedOne(q.ExecContext(ctx, query, args...))
}

// DeleteImport removes an import and its rows.
func DeleteImport(ctx context.Context, q Q, orgID, id string) error {
	return affectedOne(q.ExecContext(ctx, `DELETE FROM imports WHERE org_id = ? AND id = ?`, orgID, id))
}

// ImportRow is one data row of an import with what was (or will be) done with it.
type ImportRow struct {
	ImportID     string
	Line         int // the physical line of the file the row starts on; the header is line 1
	Email        string
	Name, Role   string
	Teams        []string
	Resources    []string
	Outcome      string
	Message      string
	InvitationID string // the invitation made or resent for the row, once committed
}

// InsertImportRows inserts rows with multi-row statements.
func InsertImportRows(ctx context.Context, q Q, rows []ImportRow) error {
	const cols, per = 9, 110
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		args := make([]any, 0, len(chunk)*cols)
		for _, r := range chunk {
			args = append(args, r.ImportID, r.Line, r.Email, r.Name, r.Role, joinList(r.Teams), joinList(r.Resources), r.Outcome, r.Message)
		}
		values := strings.TrimSuffix(strings.Repeat("("+placeholders(cols)+"), ", len(chunk)), ", ")
		if _, err := q.ExecContext(ctx, `INSERT INTO import_rows (import_id, line, email, name, role, teams, resources, outcome, message)
 VALUES `+values, args...); err != nil {
			if isUnique(err) {
				return ErrConflict
			}
			return err
		}
	}
	return nil
}

// ImportRowFilter narrows ListImportRows. Rows come in file order.
type ImportRowFilter struct {
	Outcomes  []string // any of these outcomes; all when empty
	AfterLine int      // rows after this line (the cursor of the previous page)
	Unlinked  bool     // only rows without an invitation yet
	Limit     int      // at most this many; 1..1000, 50 when zero
	Peek      bool     // one row more than Limit when there is one, as Page.Peek
}

// ListImportRows returns rows of one import in file order.
func ListImportRows(ctx context.Context, q Q, importID string, f ImportRowFilter) ([]ImportRow, error) {
	p := Page{Limit: f.Limit, Peek: f.Peek}.Normalise()
	where, args := []string{"import_id = ?", "line > ?"}, []any{importID, f.AfterLine}
	if len(f.Outcomes) > 0 {
		where = append(where, "outcome IN ("+placeholders(len(f.Outcomes))+")")
		for _, o := range f.Outcomes {
			args = append(args, o)
		}
	}
	if f.Unlinked {
		where = append(where, "invitation_id IS NULL")
	}
	// Cells come back as BLOBs: the driver would read a TEXT cell that looks like a date (a name
	// "2024-01-02") as a time, and tries ten time layouts on every TEXT cell it reads.
	rows, err := q.QueryContext(ctx, `SELECT line, CAST(email AS BLOB), CAST(name AS BLOB), CAST(role AS BLOB),
 CAST(teams AS BLOB), CAST(resources AS BLOB), CAST(outcome AS BLOB), CAST(message AS BLOB), CAST(invitation_id AS BLOB)
 FROM import_rows WHERE `+strings.Join(where, " AND ")+` ORDER BY line LIMIT ?`, append(args, p.sqlLimit())...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]ImportRow, 0, min(p.sqlLimit(), 64))
	for rows.Next() {
		r := ImportRow{ImportID: importID}
		var teams, resources string
		var inv sql.NullString
		if err := rows.Scan(&r.Line, &r.Email, &r.Name, &r.Role, &teams, &resources, &r.Outcome, &r.Message, &inv); err != nil {
			return nil, err
		}
		r.Teams, r.Resources, r.InvitationID = splitList(teams), splitList(resources), inv.String
		out = append(out, r)
	}
	return out, rows.Err()
}

// ImportRowChange changes one row of an import: an empty Outcome or InvitationID keeps the
// row's own, and AppendMessage adds Message to the row's message instead of replacing it.
type ImportRowChange struct {
	Line                           int
	Outcome, Message, InvitationID string
	AppendMessage                  bool
}

// UpdateImportRows applies changes to the rows of one import, many rows per statement.
func UpdateImportRows(ctx context.Context, q Q, importID string, changes []ImportRowChange) error {
	const cols, per = 5, 150
	for start := 0; start < len(changes); start += per {
		chunk := changes[start:min(start+per, len(changes))]
		args := make([]any, 0, len(chunk)*cols+1)
		for _, c := range chunk {
			args = append(args, c.Line, c.Outcome, c.Message, strArg(c.InvitationID), c.AppendMessage)
		}
		values := strings.TrimSuffix(strings.Repeat("("+placeholders(cols)+"), ", len(chunk)), ", ")
		_, err := q.ExecContext(ctx, `UPDATE import_rows SET
 outcome = CASE WHEN u.column2 = '' THEN import_rows.outcome ELSE u.column2 END,
 message = CASE WHEN u.column5 AND import_rows.message <> '' THEN import_rows.message || '; ' || u.column3 ELSE u.column3 END,
 invitation_id = COALESCE(u.column4, import_rows.invitation_id)
 FROM (VALUES `+values+`) AS u WHERE import_rows.import_id = ? AND import_rows.line = u.column1`, append(args, importID)...)
		if err != nil {
			return err
		}
	}
	return nil
}

// unsentImportSQL is UnsentImportInvitations' query: invitationSelect with the row id first,
// through the import's index.
var unsentImportSQL = `SELECT i.rowid, ` + strings.Replace(strings.TrimPrefix(invitationSelect, "SELECT "),
	"FROM invitations i ", "FROM invitations i INDEXED BY invitations_import ", 1) + `
 WHERE i.import_id = ? AND i.rowid > ? AND i.org_id = ? AND i.status = 'pending' AND i.expires_at > ? AND i.send_count = 0
 ORDER BY i.rowid LIMIT ?`

// UnsentImportInvitations returns up to limit invitations of an import that are pending, not
// yet due and were never sent, in the order they were made, from after the table row afterRow
// (0 to start), and the row of the last one to go on from. It walks the import's own index:
// the organization's other pending invitations, however many, cost nothing, and each call
// starts where the one before ended.
func UnsentImportInvitations(ctx context.Context, q Q, orgID, importID string, afterRow, now int64, limit int) ([]Invitation, int64, error) {
	rows, err := q.QueryContext(ctx, unsentImportSQL, importID, afterRow, orgID, now, limit)
	if err != nil {
		return nil, afterRow, err
	}
	defer rows.Close()
	out := []Invitation{}
	last := afterRow
	for rows.Next() {
		inv, err := scanInvitation(rowsFirst{s: rows, first: &last})
		if err != nil {
			return nil, afterRow, err
		}
		out = append(out, inv)
	}
	return out, last, rows.Err()
}

// MarkImportRowsSent replaces the message unsent on the rows of an import whose invitations
// have since been emailed with sent.
func MarkImportRowsSent(ctx context.Context, q Q, importID, unsent, sent string) error {
	_, err := q.ExecContext(ctx, `UPDATE import_rows SET message = ? WHERE import_id = ? AND message = ?
 AND invitation_id IN (SELECT id FROM invitations WHERE import_id = ? AND send_count > 0)`, sent, importID, unsent, importID)
	return err
}

// Renewal is a new token for one invitation.
type Renewal struct{ ID, TokenHash string }

// renewSQL is RenewInvitations' statement for n invitations. The unary + keeps SQLite from
// walking the organization's pending invitations by (org_id, status) and scanning the list for
// each: with a few hundred in the list it chose that, and sending an import of 30,000 to an
// organization with 60,000 pending took minutes. Each one is found by its id instead.
func renewSQL(n int) string {
	return `UPDATE invitations SET token_hash = u.column2, expires_at = ?, reminded_at = NULL,
 send_count = send_count + ?, updated_at = ? FROM (VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?), ", n), ", ") + `) AS u
 WHERE +invitations.org_id = ? AND invitations.id = u.column1 AND +invitations.status = 'pending'`
}

// RenewInvitations gives pending invitations new tokens (their old links stop working) and one
// new expiry, many per statement; sending counts one more send of each.
func RenewInvitations(ctx context.Context, q Q, orgID string, rs []Renewal, expiresAt, now int64, sending bool) error {
	inc := 0
	if sending {
		inc = 1
	}
	for start := 0; start < len(rs); start += 400 {
		chunk := rs[start:min(start+400, len(rs))]
		args := []any{expiresAt, inc, now}
		for _, r := range chunk {
			args = append(args, r.ID, r.TokenHash)
		}
		_, err := q.ExecContext(ctx, renewSQL(len(chunk)), append(args, orgID)...)
		if isUnique(err) {
			return ErrConflict
		}
		if err != nil {
			return err
		}
	}
	return nil
}
