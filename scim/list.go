package scim

import (
	"net/http"
	"strings"

	"github.com/elimity-com/scim"
	"github.com/scim2/filter-parser/v2"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// listQuery reads a list request: the filter the library parsed, the page, and sortBy and
// sortOrder, which the library ignores.
func listQuery(r *http.Request, params scim.ListRequestParams, k resourceKind) (org.SCIMQuery, error) {
	q := org.SCIMQuery{Offset: params.StartIndex - 1, Limit: params.Count, Filter: quickCond(r)}
	if params.FilterValidator != nil {
		c, err := toCond(params.FilterValidator.GetFilter(), k)
		if err != nil {
			return q, err
		}
		q.Filter = &c
	}
	s, err := sortOf(r, k)
	q.Sort = s
	return q, err
}

func sortOf(r *http.Request, k resourceKind) (store.SCIMSort, error) {
	attr, err := sortAttr(r.URL.Query().Get("sortBy"), k)
	if err != nil {
		return store.SCIMSort{}, err
	}
	switch strings.ToLower(r.URL.Query().Get("sortOrder")) {
	case "", "ascending":
		return store.SCIMSort{Attr: attr}, nil
	case "descending":
		return store.SCIMSort{Attr: attr, Desc: true}, nil
	default:
		return store.SCIMSort{}, badValue("sortOrder must be ascending or descending")
	}
}

// root serves GET / and POST /.search: users then groups, each filtered where the filter
// applies to it.
type root struct{ h *handler }

// GetAll lists users and then groups as one sequence of pages.
func (rt root) GetAll(r *http.Request, params scim.ListRequestParams) (scim.Page, error) {
	var expr filter.Expression
	if raw := strings.TrimSpace(r.URL.Query().Get("filter")); raw != "" {
		e, err := filter.ParseFilter([]byte(raw))
		if err != nil {
			return scim.Page{}, badFilter("the filter cannot be read: " + err.Error())
		}
		expr = e
	}
	uq, uerr := rootQuery(r, expr, userKind)
	gq, gerr := rootQuery(r, expr, groupKind)
	if uerr != nil && gerr != nil {
		return scim.Page{}, uerr
	}
	h, ctx, a, sel := rt.h, r.Context(), actor(r), newSelection(r)
	page := scim.Page{Resources: []scim.Resource{}}
	offset := params.StartIndex - 1
	usersTotal := 0
	if uerr == nil {
		uq.Offset, uq.Limit = offset, params.Count
		list, total, err := h.org.SCIMListUsers(ctx, a, uq)
		if err != nil {
			return scim.Page{}, h.fail(r, err)
		}
		for _, u := range list {
			page.Resources = append(page.Resources, h.rootResource(h.userResource(u, sel), "User", "/Users/"))
		}
		usersTotal = total
	}
	page.TotalResults = usersTotal
	if gerr == nil {
		gq.Offset, gq.Limit = max(0, offset-usersTotal), params.Count-len(page.Resources)
		gq.NoMembers = sel.excludes("members")
		list, total, err := h.org.SCIMListGroups(ctx, a, gq)
		if err != nil {
			return scim.Page{}, h.fail(r, err)
		}
		for _, g := range list {
			page.Resources = append(page.Resources, h.rootResource(h.groupResource(g, sel), "Group", "/Groups/"))
		}
		page.TotalResults += total
	}
	return page, nil
}

func rootQuery(r *http.Request, expr filter.Expression, k resourceKind) (org.SCIMQuery, error) {
	var q org.SCIMQuery
	if expr != nil {
		c, err := toCond(expr, k)
		if err != nil {
			return q, err
		}
		q.Filter = &c
	}
	// A sortBy one type does not have leaves that type in its default order.
	q.Sort, _ = sortOf(r, k)
	return q, nil
}

// rootResource adds what the library leaves to root queries: schemas and meta.resourceType
// and location.
func (h *handler) rootResource(res scim.Resource, typ, endpoint string) scim.Resource {
	attrs := make(scim.ResourceAttributes, len(res.Attributes)+2)
	for k, v := range res.Attributes {
		attrs[k] = v
	}
	schemas := []string{userURN, enterpriseURN}
	if typ == "Group" {
		schemas = []string{groupURN}
	}
	attrs["schemas"] = schemas
	attrs["meta"] = map[string]any{"resourceType": typ, "location": h.base + endpoint + res.ID}
	res.Attributes = attrs
	return res
}
