package scim

import (
	"net/http"
	"strings"

	"github.com/elimity-com/scim"
	"github.com/scim2/filter-parser/v2"

	"github.com/lobby/lobby/app/org"
)

// groups serves /Groups: the teams of the token's organization that SCIM manages.
type groups struct{ h *handler }

// groupResource is the library's form of a group; members are left out when the request
// excludes them.
func (h *handler) groupResource(g org.SCIMGroup, sel selection) scim.Resource {
	attrs := scim.ResourceAttributes{"displayName": g.Name}
	if !sel.excludes("members") {
		ms := make([]any, len(g.Members))
		for i, m := range g.Members {
			ms[i] = map[string]any{"value": m.ID, "display": m.Display, "type": "User", "$ref": h.base + "/Users/" + m.ID}
		}
		attrs["members"] = ms
	}
	return scim.Resource{ID: g.ID, ExternalID: optionalString(g.ExternalID), Attributes: attrs, Meta: meta(g.Created, g.Modified, g.Version)}
}

// memberIDs reads the ids of a members value: a list of {"value": id} or one such object.
func memberIDs(v any) []string {
	var out []string
	for _, it := range items(v) {
		if m, ok := it.(map[string]any); ok {
			if id := strings.TrimSpace(str(m, "value")); id != "" {
				out = append(out, id)
			}
		}
	}
	return out
}

// Create makes a group, usually empty (Entra adds members later).
func (g groups) Create(r *http.Request, attrs scim.ResourceAttributes) (scim.Resource, error) {
	out, err := g.h.org.SCIMCreateGroup(r.Context(), actor(r), str(attrs, "displayName"), str(attrs, "externalId"),
		memberIDs(get(attrs, "members")))
	if err != nil {
		return scim.Resource{}, g.h.fail(r, err)
	}
	return g.h.groupResource(out, newSelection(r)), nil
}

// Get reads one group.
func (g groups) Get(r *http.Request, id string) (scim.Resource, error) {
	out, err := g.h.org.SCIMGroupByID(r.Context(), actor(r), id)
	if err != nil {
		return scim.Resource{}, g.h.fail(r, err)
	}
	return g.h.groupResource(out, newSelection(r)), nil
}

// GetAll lists groups matching the filter.
func (g groups) GetAll(r *http.Request, params scim.ListRequestParams) (scim.Page, error) {
	q, err := listQuery(r, params, groupKind)
	if err != nil {
		return scim.Page{}, err
	}
	sel := newSelection(r)
	q.NoMembers = sel.excludes("members")
	list, total, err := g.h.org.SCIMListGroups(r.Context(), actor(r), q)
	if err != nil {
		return scim.Page{}, g.h.fail(r, err)
	}
	page := scim.Page{TotalResults: total, Resources: make([]scim.Resource, len(list))}
	for i, x := range list {
		page.Resources[i] = g.h.groupResource(x, sel)
	}
	counted(r, len(list))
	return page, nil
}

// Replace stores a whole group: its name, its members (none when left out) and its
// externalId (kept when left out).
func (g groups) Replace(r *http.Request, id string, attrs scim.ResourceAttributes) (scim.Resource, error) {
	name := str(attrs, "displayName")
	ch := org.SCIMGroupChange{Name: &name}
	if ext := str(attrs, "externalId"); ext != "" {
		ch.ExternalID = &ext
	}
	ch.Members = []org.SCIMMemberOp{{Op: "replace", IDs: memberIDs(get(attrs, "members"))}}
	out, err := g.h.org.SCIMUpdateGroup(r.Context(), actor(r), id, r.Header.Get("If-Match"), ch)
	if err != nil {
		return scim.Resource{}, g.h.fail(r, err)
	}
	return g.h.groupResource(out, newSelection(r)), nil
}

// Delete removes a group; its members stay in the organization.
func (g groups) Delete(r *http.Request, id string) error {
	if err := g.h.org.SCIMDeleteGroup(r.Context(), actor(r), id, r.Header.Get("If-Match")); err != nil {
		return g.h.fail(r, err)
	}
	return nil
}

// Patch renames a group and adds, removes or replaces members in every form Entra and Okta
// send, in the order sent, and answers 204.
func (g groups) Patch(r *http.Request, id string, ops []scim.PatchOperation) (scim.Resource, error) {
	var ch org.SCIMGroupChange
	for _, op := range ops {
		if op.Path == nil {
			vals, ok := op.Value.(map[string]any)
			if !ok {
				return scim.Resource{}, badValue("a PATCH operation without a path needs an object value")
			}
			for _, k := range sortedKeys(vals) {
				p, err := filter.ParsePath([]byte(k))
				if err != nil {
					return scim.Resource{}, badPath("cannot read the attribute path " + k)
				}
				if err := groupOp(&ch, op.Op, p, vals[k]); err != nil {
					return scim.Resource{}, err
				}
			}
			continue
		}
		if err := groupOp(&ch, op.Op, *op.Path, op.Value); err != nil {
			return scim.Resource{}, err
		}
	}
	if err := g.h.org.SCIMPatchGroup(r.Context(), actor(r), id, r.Header.Get("If-Match"), ch); err != nil {
		return scim.Resource{}, g.h.fail(r, err)
	}
	return scim.Resource{}, nil
}

// groupOp adds one PATCH operation to ch.
func groupOp(ch *org.SCIMGroupChange, op string, p filter.Path, value any) error {
	attr := strings.ToLower(p.AttributePath.AttributeName)
	if uri := p.AttributePath.URI(); uri != "" && !strings.EqualFold(uri, groupURN) {
		return badPath("unknown schema " + uri)
	}
	switch {
	case attr == "displayname" && op != scim.PatchOperationRemove:
		s, ok := value.(string)
		if !ok {
			return badValue("displayName must be a string")
		}
		ch.Name = &s
	case attr == "displayname":
		return badValue("displayName cannot be removed; a group needs a name")
	case attr == "externalid":
		s, _ := value.(string)
		if op == scim.PatchOperationRemove {
			s = ""
		}
		ch.ExternalID = &s
	case attr == "members" && p.ValueExpression != nil:
		ids, ok := memberValues(p.ValueExpression)
		if op != scim.PatchOperationRemove || !ok || p.SubAttribute != nil {
			return badPath(`members[…] paths are only for removing, as members[value eq "id"]`)
		}
		ch.Members = append(ch.Members, org.SCIMMemberOp{Op: "remove", IDs: ids})
	case attr == "members" && p.AttributePath.SubAttribute == nil:
		ids := memberIDs(value)
		if op == scim.PatchOperationRemove && value == nil {
			ch.Members = append(ch.Members, org.SCIMMemberOp{Op: "remove"})
			break
		}
		if ids == nil {
			ids = []string{}
		}
		ch.Members = append(ch.Members, org.SCIMMemberOp{Op: op, IDs: ids})
	case attr == "id":
	default:
		return badPath("a group has no attribute " + p.String() + " that can be changed")
	}
	return nil
}

// memberValues reads the ids of value eq "id" joined by or (Okta and Entra send one).
func memberValues(e filter.Expression) ([]string, bool) {
	switch e := e.(type) {
	case *filter.AttributeExpression:
		s, ok := e.CompareValue.(string)
		return []string{s}, ok && e.Operator == filter.EQ && strings.EqualFold(e.AttributePath.AttributeName, "value")
	case *filter.LogicalExpression:
		l, ok1 := memberValues(e.Left)
		r, ok2 := memberValues(e.Right)
		return append(l, r...), ok1 && ok2 && e.Operator == filter.OR
	}
	return nil, false
}
