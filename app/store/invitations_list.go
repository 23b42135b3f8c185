package store

import (
	"context"
	"strings"
)

// InvitationFilter narrows ListInvitations.
type InvitationFilter struct {
	// Status is the status lists show: "pending" is pending and not yet past its expiry,
	// "expired" also takes pending invitations past their expiry that the expire job has not
	// swept yet; "accepted" and "revoked" are the stored status.
	Status, Query, ImportID string
	Page                    Page
}

// ListInvitations returns one page of an organization's invitations, newest first, with the
// status filter judged at now (unix ms).
func ListInvitations(ctx context.Context, q Q, orgID string, f InvitationFilter, now int64) ([]Invitation, error) {
	rare, err := rareTerm(ctx, q, f.Query)
	if err != nil {
		return nil, err
	}
	query, args := invitationListQuery(orgID, f, now, rare)
	return queryInvitations(ctx, q, query, args...)
}

// invitationListQuery builds the statement of ListInvitations. Every shape walks an index in
// id order and stops when the page is full, whatever the organization's size:
//   - pending goes through invitations_org_status by name: left to itself SQLite takes the
//     seat count's index on (org_id, expires_at) for "expires_at > now" and sorts every
//     pending invitation of the organization for one page;
//   - expired is two arms merged by id, like ListPeople: the stored expired ones through
//     invitations_org_status, and the few pending ones past their expiry through the seat
//     count's index by name (given a cursor, SQLite would rather walk every older pending
//     invitation by id to find them). One condition with OR would walk every invitation of
//     the organization (invitations_org_id) until the page fills, slow where expired are rare.
//
// A search goes through the trigram index when the term is rare (rareTerm), as People's does.
func invitationListQuery(orgID string, f InvitationFilter, now int64, rare bool) (string, []any) {
	p := f.Page.Normalise()
	where, args := []string{"i.org_id = ?"}, []any{orgID}
	if f.ImportID != "" {
		where, args = append(where, "i.import_id = ?"), append(args, f.ImportID)
	}
	if f.Query != "" {
		cond, condArgs := searchCond("i.id", "i.email_norm", "i.name", f.Query, rare)
		where, args = append(where, cond), append(args, condArgs...)
	}
	if p.Cursor != "" {
		where, args = append(where, "i.id < ?"), append(args, p.Cursor)
	}
	// arm is one select of the page with its own condition (and its arguments after the
	// shared ones), through the index hint when one is given.
	arm := func(hint, cond string, condArgs ...any) (string, []any) {
		from := invitationSelect
		if hint != "" {
			from = strings.Replace(from, "FROM invitations i", "FROM invitations i INDEXED BY "+hint, 1)
		}
		w := where
		if cond != "" {
			w = append(w[:len(w):len(w)], cond)
		}
		a := append(append(append([]any{}, args...), condArgs...), p.sqlLimit())
		return from + ` WHERE ` + strings.Join(w, " AND ") + ` ORDER BY i.id DESC LIMIT ?`, a
	}
	switch f.Status {
	case "":
		return arm("", "")
	case "pending":
		return arm("invitations_org_status", "i.status = 'pending' AND i.expires_at > ?", now)
	case "expired":
		swept, a1 := arm("", "i.status = 'expired'")
		due, a2 := arm("invitations_org_pending_expiry", "i.status = 'pending' AND i.expires_at <= ?", now)
		return `SELECT * FROM (` + swept + `) UNION ALL SELECT * FROM (` + due + `) ORDER BY 1 DESC LIMIT ?`,
			append(append(a1, a2...), p.sqlLimit())
	default:
		return arm("", "i.status = ?", f.Status)
	}
}
