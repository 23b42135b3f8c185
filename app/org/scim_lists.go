package org

import (
	"context"
	"errors"
	"strings"

	"github.com/lobby/lobby/app/address"
	"github.com/lobby/lobby/app/store"
)

// SCIMListUsers returns one page of the organization's members that match the query, and how
// many match in all. The filter runs in the database.
func (s *Service) SCIMListUsers(ctx context.Context, a Actor, qy SCIMQuery) ([]SCIMUser, int, error) {
	if err := a.require(PermMembersRead); err != nil {
		return nil, 0, err
	}
	qy, err := scimCleanQuery(qy)
	if err != nil {
		return nil, 0, err
	}
	list, total, err := store.ListSCIMMembers(ctx, s.db.R, a.OrgID, qy.Filter, qy.Sort, qy.Offset, qy.Limit)
	if err != nil {
		return nil, 0, scimFilterError(err)
	}
	users := make([]SCIMUser, len(list))
	for i, m := range list {
		users[i] = scimUserOf(m)
	}
	return users, total, nil
}

// SCIMListGroups returns one page of the organization's SCIM-managed teams that match the
// query, with their members, and how many match in all.
func (s *Service) SCIMListGroups(ctx context.Context, a Actor, qy SCIMQuery) ([]SCIMGroup, int, error) {
	if err := a.require(PermMembersRead); err != nil {
		return nil, 0, err
	}
	qy, err := scimCleanQuery(qy)
	if err != nil {
		return nil, 0, err
	}
	list, total, err := store.ListSCIMTeams(ctx, s.db.R, a.OrgID, qy.Filter, qy.Sort, qy.Offset, qy.Limit)
	if err != nil {
		return nil, 0, scimFilterError(err)
	}
	groups, err := scimGroups(ctx, s.db.R, list, !qy.NoMembers)
	return groups, total, err
}

func scimFilterError(err error) error {
	if errors.Is(err, store.ErrBadFilter) {
		return errf(CodeInvalid, "filter", "%s", strings.TrimPrefix(err.Error(), store.ErrBadFilter.Error()+": "))
	}
	return err
}

// scimCleanQuery bounds the page and puts addresses in the filter in their normalised form, so
// that userName eq "Ann@Example.COM" finds ann@example.com.
func scimCleanQuery(qy SCIMQuery) (SCIMQuery, error) {
	if qy.Offset < 0 {
		qy.Offset = 0
	}
	qy.Limit = min(max(qy.Limit, 0), SCIMMaxPage)
	if qy.Filter != nil {
		c := scimNormaliseCond(*qy.Filter, false)
		qy.Filter = &c
	}
	qy.Sort.Attr = strings.ToLower(qy.Sort.Attr)
	return qy, nil
}

func scimNormaliseCond(c store.SCIMCond, inEmails bool) store.SCIMCond {
	c.Attr = strings.ToLower(c.Attr)
	if len(c.Kids) > 0 {
		kids := make([]store.SCIMCond, len(c.Kids))
		for i, k := range c.Kids {
			kids[i] = scimNormaliseCond(k, inEmails || (c.Op == "any" && c.Attr == "emails"))
		}
		c.Kids = kids
		return c
	}
	isAddress := c.Attr == "username" || (inEmails && c.Attr == "value")
	if v, ok := c.Value.(string); ok && isAddress && (c.Op == "eq" || c.Op == "ne") {
		if norm, err := address.Parse(v); err == nil {
			c.Value = norm
		}
	}
	return c
}
