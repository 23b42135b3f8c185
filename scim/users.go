package scim

import (
	"net/http"

	"github.com/elimity-com/scim"
	"github.com/elimity-com/scim/schema"

	"github.com/lobby/lobby/app/org"
)

// users serves /Users: members of the token's organization.
type users struct{ h *handler }

var userPatcher = patcher{core: userSchema, exts: []schema.Schema{enterpriseSchema}}

// Create makes a member. Okta's password is never read; Entra's meta and roles: [] are harmless.
func (u users) Create(r *http.Request, attrs scim.ResourceAttributes) (scim.Resource, error) {
	in, active, err := userFromAttrs(attrs)
	if err != nil {
		return scim.Resource{}, err
	}
	in.Active = active == nil || *active
	out, err := u.h.org.SCIMCreateUser(r.Context(), actor(r), u.h.policy, in)
	if err != nil {
		return scim.Resource{}, u.h.fail(r, err)
	}
	return u.h.userResource(out, newSelection(r)), nil
}

// Get reads one member; another organization's ids are not found.
func (u users) Get(r *http.Request, id string) (scim.Resource, error) {
	out, err := u.h.org.SCIMUserByID(r.Context(), actor(r), id)
	if err != nil {
		return scim.Resource{}, u.h.fail(r, err)
	}
	return u.h.userResource(out, newSelection(r)), nil
}

// GetAll lists members matching the filter, in the order asked, one page at a time.
func (u users) GetAll(r *http.Request, params scim.ListRequestParams) (scim.Page, error) {
	q, err := listQuery(r, params, userKind)
	if err != nil {
		return scim.Page{}, err
	}
	list, total, err := u.h.org.SCIMListUsers(r.Context(), actor(r), q)
	if err != nil {
		return scim.Page{}, u.h.fail(r, err)
	}
	sel := newSelection(r)
	page := scim.Page{TotalResults: total, Resources: make([]scim.Resource, len(list))}
	for i, m := range list {
		page.Resources[i] = u.h.userResource(m, sel)
	}
	counted(r, len(list))
	return page, nil
}

// Replace stores a whole member as sent. Attributes Okta leaves out of its PUT (externalId,
// active, roles) keep their values.
func (u users) Replace(r *http.Request, id string, attrs scim.ResourceAttributes) (scim.Resource, error) {
	in, active, err := userFromAttrs(attrs)
	if err != nil {
		return scim.Resource{}, err
	}
	out, err := u.h.org.SCIMUpdateUser(r.Context(), actor(r), u.h.policy, id, r.Header.Get("If-Match"),
		func(cur org.SCIMUser) (org.SCIMUser, error) {
			next := in
			next.Active = cur.Active
			if active != nil {
				next.Active = *active
			}
			if next.ExternalID == "" {
				next.ExternalID = cur.ExternalID
			}
			return next, nil
		})
	if err != nil {
		return scim.Resource{}, u.h.fail(r, err)
	}
	return u.h.userResource(out, newSelection(r)), nil
}

// Delete removes the member, or deactivates them when scim.delete_mode says so.
func (u users) Delete(r *http.Request, id string) error {
	if err := u.h.org.SCIMDeleteUser(r.Context(), actor(r), u.h.policy, id, r.Header.Get("If-Match")); err != nil {
		return u.h.fail(r, err)
	}
	return nil
}

// Patch applies the operations to the member as it is now, inside the same transaction, and
// answers 200 with the result.
func (u users) Patch(r *http.Request, id string, ops []scim.PatchOperation) (scim.Resource, error) {
	out, err := u.h.org.SCIMUpdateUser(r.Context(), actor(r), u.h.policy, id, r.Header.Get("If-Match"),
		func(cur org.SCIMUser) (org.SCIMUser, error) {
			attrs := userAttrs(cur)
			if err := userPatcher.apply(attrs, ops); err != nil {
				return cur, err
			}
			next, active, err := userFromAttrs(attrs)
			if err != nil {
				return cur, err
			}
			next.Active = cur.Active
			if active != nil {
				next.Active = *active
			}
			return next, nil
		})
	if err != nil {
		return scim.Resource{}, u.h.fail(r, err)
	}
	return u.h.userResource(out, newSelection(r)), nil
}
