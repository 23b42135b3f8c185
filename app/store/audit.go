package store

import (
	"context"
	"database/sql"
	"strings"
)

// AuditEntry is one recorded change: who, what, to what, when.
type AuditEntry struct {
	ID, OrgID            string
	ActorKind            string // user | token | scim | system | cli
	ActorID, ActorName   string
	Action               string // e.g. invitation.created
	TargetKind, TargetID string
	Details              string // JSON
	CreatedAt            int64
}

// InsertAudit writes audit entries with multi-row statements.
func InsertAudit(ctx context.Context, q Q, entries ...AuditEntry) error {
	const cols = 10
	for start := 0; start < len(entries); start += 90 {
		chunk := entries[start:min(start+90, len(entries))]
		args := make([]any, 0, len(chunk)*cols)
		rows := make([]string, len(chunk))
		for k, e := range chunk {
			rows[k] = "(" + placeholders(cols) + ")"
			args = append(args, e.ID, strArg(e.OrgID), e.ActorKind, e.ActorID, e.ActorName, e.Action, e.TargetKind, e.TargetID,
				e.Details, e.CreatedAt)
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO audit_log (id, org_id, actor_kind, actor_id, actor_name, action,
 target_kind, target_id, details, created_at) VALUES `+strings.Join(rows, ", "), args...); err != nil {
			return err
		}
	}
	return nil
}

// AuditFilter narrows ListAudit.
type AuditFilter struct {
	Actor, Action string
	Since         int64
	Page          Page
}

// ListAudit returns one page of an organization's audit log, newest first. Actor matches the
// actor's id or name; Action matches exactly or as a prefix ending in "." ("invitation.").
func ListAudit(ctx context.Context, q Q, orgID string, f AuditFilter) ([]AuditEntry, error) {
	tail, args := auditListTail(orgID, f)
	return queryAudit(ctx, q, tail, args...)
}

// auditListTail is the WHERE, ORDER BY and LIMIT of ListAudit's query, and its arguments.
func auditListTail(orgID string, f AuditFilter) (string, []any) {
	where, args := []string{"org_id = ?"}, []any{orgID}
	if f.Actor != "" {
		where, args = append(where, "(actor_id = ? OR actor_name = ?)"), append(args, f.Actor, f.Actor)
	}
	if strings.HasSuffix(f.Action, ".") {
		where, args = append(where, "substr(action, 1, ?) = ?"), append(args, len(f.Action), f.Action)
	} else if f.Action != "" {
		where, args = append(where, "action = ?"), append(args, f.Action)
	}
	if f.Since > 0 {
		// An entry's id begins with the time it was made (NewID), within moments of its
		// created_at, so a bound on the id a day earlier keeps the walk of the index to the
		// stretch since then; created_at then decides exactly.
		where, args = append(where, "id >= ?", "created_at >= ?"), append(args, idAt(f.Since-24*60*60*1000), f.Since)
	}
	p := f.Page.Normalise()
	if p.Cursor != "" {
		where, args = append(where, "id < ?"), append(args, p.Cursor)
	}
	return `WHERE ` + strings.Join(where, " AND ") + ` ORDER BY id DESC LIMIT ?`, append(args, p.sqlLimit())
}

// AuditOfTarget lists the newest 200 entries about one thing, newest first.
func AuditOfTarget(ctx context.Context, q Q, orgID, kind, id string) ([]AuditEntry, error) {
	return queryAudit(ctx, q, `WHERE org_id = ? AND target_kind = ? AND target_id = ? ORDER BY id DESC LIMIT 200`, orgID, kind, id)
}

func queryAudit(ctx context.Context, q Q, tail string, args ...any) ([]AuditEntry, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, org_id, actor_kind, actor_id, actor_name, action, target_kind, target_id,
 details, created_at FROM audit_log `+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []AuditEntry{}
	for rows.Next() {
		var e AuditEntry
		var org sql.NullString
		if err := rows.Scan(&e.ID, &org, &e.ActorKind, &e.ActorID, &e.ActorName, &e.Action, &e.TargetKind, &e.TargetID,
			&e.Details, &e.CreatedAt); err != nil {
			return nil, err
		}
		e.OrgID = org.String
		out = append(out, e)
	}
	return out, rows.Err()
}
