package store

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Person is one row of the console's People list: a member, or an invitation that has not
// become one (pending, expired or revoked).
type Person struct {
	Kind           string // member | invitation
	ID             string
	Email, Name    string
	RoleKey        string
	Status         string // active | deactivated | pending | expired | revoked
	Source         string // for members: invite | join | scim | admin
	DeliveryStatus string // for invitations
	ExpiresAt      int64  // for invitations
	CreatedAt      int64
}

// PeopleFilter narrows ListPeople. Status "failed" means invitations whose email failed.
type PeopleFilter struct {
	Status, RoleKey, TeamID, Query string
	// Oldest lists oldest first instead of newest first.
	Oldest bool
	Page   Page
}

// ListPeople returns one page of members and open invitations together, newest first. It reads
// both tables through their (org_id, id) indexes and merges, so a page costs the same at any size.
func ListPeople(ctx context.Context, q Q, orgID string, f PeopleFilter, now int64) ([]Person, error) {
	p := f.Page.Normalise()
	rare, err := rareTerm(ctx, q, f.Query)
	if err != nil {
		return nil, err
	}
	// Both arms walk their (org_id, id) index in the same direction; ids are UUIDv7, so they
	// sort by time across both tables.
	cmp, dir := "<", "DESC"
	if f.Oldest {
		cmp, dir = ">", "ASC"
	}
	memberStatus := map[string]bool{"": true, "active": true, "deactivated": true}
	inviteStatus := map[string]bool{"": true, "pending": true, "expired": true, "revoked": true, "failed": true, "requested": true}
	var arms []string
	var args []any
	if memberStatus[f.Status] {
		w, a := []string{"m.org_id = ?"}, []any{orgID}
		if f.Status != "" {
			w, a = append(w, "m.status = ?"), append(a, f.Status)
		}
		if f.RoleKey != "" {
			w, a = append(w, "r.key = ?"), append(a, f.RoleKey)
		}
		if f.TeamID != "" {
			w, a = append(w, "m.id IN (SELECT membership_id FROM team_members WHERE team_id = ?)"), append(a, f.TeamID)
		}
		if f.Query != "" {
			cond, args := searchCond("m.id", "u.email_norm", "u.name", f.Query, rare)
			w, a = append(w, cond), append(a, args...)
		}
		if p.Cursor != "" {
			w, a = append(w, "m.id "+cmp+" ?"), append(a, p.Cursor)
		}
		arms = append(arms, `SELECT * FROM (SELECT 'member', m.id, u.email, CAST(u.name AS BLOB), r.key, m.status, m.source, '', 0, m.joined_at
 FROM memberships m JOIN users u ON u.id = m.user_id JOIN roles r ON r.id = m.role_id
 WHERE `+strings.Join(w, " AND ")+` ORDER BY m.id `+dir+` LIMIT ?)`)
		args = append(append(args, a...), p.sqlLimit())
	}
	if inviteStatus[f.Status] {
		hint := ""
		w, a := []string{"i.org_id = ?", "i.status != 'accepted'"}, []any{orgID}
		switch f.Status {
		case "pending":
			w, a = append(w, "i.status = 'pending' AND i.expires_at > ?"), append(a, now)
			// Walk pending invitations in id order; the seat-count index on expiry would
			// make SQLite sort every pending invitation of the organization for one page.
			hint = "INDEXED BY invitations_org_status"
		case "expired":
			w, a = append(w, "(i.status = 'expired' OR (i.status = 'pending' AND i.expires_at <= ?))"), append(a, now)
		case "revoked", "requested":
			w, a = append(w, "i.status = ?"), append(a, f.Status)
		case "failed":
			w = append(w, "i.status = 'pending' AND i.delivery_status = 'failed'")
		}
		if f.RoleKey != "" {
			w, a = append(w, "r.key = ?"), append(a, f.RoleKey)
		}
		if f.TeamID != "" {
			w, a = append(w, "i.id IN (SELECT invitation_id FROM invitation_teams WHERE team_id = ?)"), append(a, f.TeamID)
		}
		if f.Query != "" {
			cond, args := searchCond("i.id", "i.email_norm", "i.name", f.Query, rare)
			w, a = append(w, cond), append(a, args...)
		}
		if p.Cursor != "" {
			w, a = append(w, "i.id "+cmp+" ?"), append(a, p.Cursor)
		}
		arms = append(arms, `SELECT * FROM (SELECT 'invitation', i.id, i.email, CAST(i.name AS BLOB), r.key,
 CASE WHEN i.status = 'pending' AND i.expires_at <= `+strconv.FormatInt(now, 10)+` THEN 'expired' ELSE i.status END,
 '', i.delivery_status, i.expires_at, i.created_at
 FROM invitations i `+hint+` JOIN roles r ON r.id = i.role_id
 WHERE `+strings.Join(w, " AND ")+` ORDER BY i.id `+dir+` LIMIT ?)`)
		args = append(append(args, a...), p.sqlLimit())
	}
	if len(arms) == 0 {
		return []Person{}, nil
	}
	args = append(args, p.sqlLimit())
	rows, err := q.QueryContext(ctx, strings.Join(arms, " UNION ALL ")+` ORDER BY 2 `+dir+` LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Person{}
	for rows.Next() {
		var x Person
		if err := rows.Scan(&x.Kind, &x.ID, &x.Email, &x.Name, &x.RoleKey, &x.Status, &x.Source, &x.DeliveryStatus,
			&x.ExpiresAt, &x.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// rareLimit is how many matches make a term common. A common term is found fastest by walking
// the list in order until a page is full; a rare one by the trigram index, which hands over
// every match at once.
const rareLimit = 1000

// indexable reports whether the trigram index can answer q: three characters or more, and none
// of LIKE's own wildcards.
func indexable(q string) bool {
	return utf8.RuneCountInString(q) >= 3 && !strings.ContainsAny(q, `%_\`)
}

// rareTerm asks the trigram index whether fewer than rareLimit people (in any organization)
// match term; the answer costs at most rareLimit index entries.
func rareTerm(ctx context.Context, q Q, term string) (bool, error) {
	term = strings.ToLower(strings.TrimSpace(term))
	if term == "" || !indexable(term) {
		return false, nil
	}
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM people_search WHERE text LIKE ? LIMIT ?)`,
		"%"+term+"%", rareLimit).Scan(&n)
	return n < rareLimit, err
}

// searchCond matches q anywhere in an address or a name: through the trigram index
// people_search (migration 0008) when the term is rare, with a plain LIKE otherwise.
func searchCond(idCol, emailCol, nameCol, q string, rare bool) (string, []any) {
	q = strings.ToLower(strings.TrimSpace(q))
	if rare {
		return idCol + ` IN (SELECT k.ref FROM people_search s JOIN people_search_keys k ON k.id = s.rowid WHERE s.text LIKE ?)`,
			[]any{"%" + q + "%"}
	}
	return `(` + emailCol + ` LIKE ? ESCAPE '\' OR lower(` + nameCol + `) LIKE ? ESCAPE '\')`, []any{likeArg(q), likeArg(q)}
}
