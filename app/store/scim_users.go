package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// SCIMMember is a member as SCIM shows it: the membership and the SCIM-managed teams it is in.
type SCIMMember struct {
	Membership
	Groups []SCIMGroupRef // by team name
}

// SCIMGroupRef names one SCIM-managed team.
type SCIMGroupRef struct{ ID, Name string }

// scimGroupsColumn is every SCIM-managed team of the membership m as a JSON array of
// [id, name] pairs: read with the member, so a page of members is one statement. They come in
// no order and parseGroupRefs sorts them: an ORDER BY inside the aggregate made SQLite open a
// sorter for every member read, even one in no group: 2–5 µs of the 30–35 µs a SCIM lookup by
// userName took in store alone.
const scimGroupsColumn = `(SELECT json_group_array(json_array(t.id, t.name))
 FROM team_members tm JOIN teams t ON t.id = tm.team_id WHERE tm.membership_id = m.id AND t.source = 'scim')`

// ListSCIMMembers returns one page of an organization's members that match c, in the order s,
// after skipping offset of them, with the number that match in all. A limit of 0 only counts.
func ListSCIMMembers(ctx context.Context, q Q, orgID string, c *SCIMCond, s SCIMSort, offset, limit int) ([]SCIMMember, int, error) {
	where, args, err := scimUserTable.where(c)
	if err != nil {
		return nil, 0, err
	}
	order, err := scimUserTable.orderBy(s, "m.id")
	if err != nil {
		return nil, 0, err
	}
	args = append([]any{orgID}, args...)
	// Matching, ordering and skipping need the account only when the filter or the order reads
	// it (every membership has one), and never a member's groups or other columns: past the
	// first page, the page's ids are found first, and only its rows are read whole. Reading
	// every skipped row whole made the last page of 100,000 cost 107 ms instead of 25.
	from := "memberships m"
	if usesAccount.MatchString(where + " " + order) {
		from += " JOIN users u ON u.id = m.user_id"
	}
	list := []SCIMMember{}
	if limit > 0 {
		query := scimMemberSelect + ` WHERE m.org_id = ? AND ` + where + ` ORDER BY ` + order + ` LIMIT ? OFFSET ?`
		if offset > 0 { // a first page (every lookup Entra and Okta make) skips nothing: one step is cheaper
			page := `SELECT m.id FROM ` + from + ` WHERE m.org_id = ? AND ` + where + ` ORDER BY ` + order + ` LIMIT ? OFFSET ?`
			query = scimMemberSelect + ` WHERE m.id IN (` + page + `) ORDER BY ` + order
		}
		if list, err = querySCIMMembers(ctx, q, query, append(args, limit, offset)...); err != nil {
			return nil, 0, err
		}
		// A first page that is not full holds every match: no need to count them.
		if offset == 0 && len(list) < limit {
			return list, len(list), nil
		}
	}
	var total int
	err = q.QueryRowContext(ctx, `SELECT count(*) FROM `+from+` WHERE m.org_id = ? AND `+where, args...).Scan(&total)
	return list, total, err
}

// usesAccount finds a reference to the users table (u) in a condition or an order.
var usesAccount = regexp.MustCompile(`\bu\.`)

// scimMemberSelect reads members with their groups; scanSCIMMember reads its rows.
const scimMemberSelect = `SELECT ` + membershipColumns + `, ` + scimGroupsColumn + ` FROM ` + membershipFrom

func scanSCIMMember(s scanner) (SCIMMember, error) {
	var m SCIMMember
	var groups []byte
	var err error
	if m.Membership, err = scanMembership(s, &groups); err != nil {
		return m, err
	}
	m.Groups, err = parseGroupRefs(groups)
	return m, err
}

// GetSCIMMember reads one member of an organization with its groups.
func GetSCIMMember(ctx context.Context, q Q, orgID, id string) (SCIMMember, error) {
	return scanSCIMMember(q.QueryRowContext(ctx, scimMemberSelect+` WHERE m.org_id = ? AND m.id = ?`, orgID, id))
}

// querySCIMMembers reads the members query selects (scimMemberSelect and its conditions).
func querySCIMMembers(ctx context.Context, q Q, query string, args ...any) ([]SCIMMember, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []SCIMMember{}
	for rows.Next() {
		m, err := scanSCIMMember(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// parseGroupRefs reads scimGroupsColumn, sorted by name as the teams' name_norm orders them.
func parseGroupRefs(b []byte) ([]SCIMGroupRef, error) {
	if len(b) <= 2 { // "[]"
		return nil, nil
	}
	var pairs [][2]string
	if err := json.Unmarshal(b, &pairs); err != nil {
		return nil, fmt.Errorf("read the groups of a member: %w", err)
	}
	out := make([]SCIMGroupRef, len(pairs))
	for i, p := range pairs {
		out[i] = SCIMGroupRef{ID: p[0], Name: p[1]}
	}
	if len(out) > 1 {
		slices.SortFunc(out, func(a, b SCIMGroupRef) int {
			return cmp.Or(strings.Compare(TeamKey(a.Name), TeamKey(b.Name)), strings.Compare(a.ID, b.ID))
		})
	}
	return out, nil
}

// SetMembershipProfile stores what an identity provider keeps about a member: its externalId
// and the SCIM attributes JSON.
func SetMembershipProfile(ctx context.Context, q Q, orgID, id, externalID, attributes string, now int64) error {
	return affectedOne(q.ExecContext(ctx, `UPDATE memberships SET external_id = ?, attributes = ?, updated_at = ?
 WHERE org_id = ? AND id = ?`, externalID, attributes, now, orgID, id))
}

// TouchMembership moves a membership's updated_at, for changes stored elsewhere (the person's name).
func TouchMembership(ctx context.Context, q Q, orgID, id string, now int64) error {
	return affectedOne(q.ExecContext(ctx, `UPDATE memberships SET updated_at = ? WHERE org_id = ? AND id = ?`, now, orgID, id))
}

// ChangeUserEmail gives a person a new address; one taken by another person is ErrConflict.
func ChangeUserEmail(ctx context.Context, q Q, id, email, emailNorm string) error {
	err := affectedOne(q.ExecContext(ctx, `UPDATE users SET email = ?, email_norm = ? WHERE id = ?`, email, emailNorm, id))
	if isUnique(err) {
		return ErrConflict
	}
	return err
}

// CountMembershipsOfUser counts the organizations a person belongs to, active or not.
func CountMembershipsOfUser(ctx context.Context, q Q, userID string) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM memberships WHERE user_id = ?`, userID).Scan(&n)
	return n, err
}
