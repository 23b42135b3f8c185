package store

import "context"

// ListSCIMMembers returns one page of an organization's members that match c, in the order s,
// after skipping offset of them, with the number that match in all. A limit of 0 only counts.
func ListSCIMMembers(ctx context.Context, q Q, orgID string, c *SCIMCond, s SCIMSort, offset, limit int) ([]Membership, int, error) {
	where, args, err := scimUserTable.where(c)
	if err != nil {
		return nil, 0, err
	}
	order, err := scimUserTable.orderBy(s, "m.id")
	if err != nil {
		return nil, 0, err
	}
	args = append([]any{orgID}, args...)
	list := []Membership{}
	if limit > 0 {
		if list, err = queryMemberships(ctx, q, membershipSelect+` WHERE m.org_id = ? AND `+where+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
			append(args, limit, offset)...); err != nil {
			return nil, 0, err
		}
		// A first page that is not full holds every match: no need to count them.
		if offset == 0 && len(list) < limit {
			return list, len(list), nil
		}
	}
	var total int
	err = q.QueryRowContext(ctx, `SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id
 WHERE m.org_id = ? AND `+where, args...).Scan(&total)
	return list, total, err
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
