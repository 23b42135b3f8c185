package scim

import (
	"net/url"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

// Before every change it makes, an identity provider looks the person up: GET /Users with one
// equality filter (userName eq "…", externalId eq "…") and nothing else. lookup answers that
// request in Fiber itself, with the same bytes the library's path would send, instead of
// through the net/http adaptor, this package's middleware and the library, which took about
// two thirds of the request's time. Anything else, including every error, takes the full path,
// which answers it as before.
func (h *handler) lookup(c *fiber.Ctx) error {
	args := c.Context().QueryArgs()
	if c.Method() != fiber.MethodGet || c.Path() != "/scim/v2/Users" || args.Len() != 1 {
		return c.Next()
	}
	cond, ok := quickEquality(string(args.Peek("filter")), quickAttrs["/Users"])
	if !ok {
		return c.Next()
	}
	tok, ok := bearer(c.Get(fiber.HeaderAuthorization))
	if !ok {
		return c.Next()
	}
	ctx := c.UserContext()
	a, err := h.org.Authenticate(ctx, "scim", tok)
	if err != nil {
		return c.Next()
	}
	list, total, err := h.org.SCIMListUsers(ctx, a, org.SCIMQuery{Limit: org.SCIMMaxPage, Filter: cond})
	if err != nil {
		return c.Next()
	}
	buf := bodies.Get().(*[]byte)
	defer bodies.Put(buf)
	body, err := h.listBody((*buf)[:0], list, total)
	if err != nil {
		return c.Next()
	}
	if cap(body) <= 64<<10 {
		*buf = body[:0] // kept, grown or not, for the next answer; a page of many is not kept
	}
	if mentionsPassword(body) { // as shape does on the full path
		if b, ok := reshape(body, selection{}); ok {
			body = b
		}
	}
	c.Set(fiber.HeaderContentType, "application/scim+json")
	c.Response().SetBody(body) // a copy into the response's own buffer, so buf can go back
	return nil
}

// bodies holds the buffers lookup writes its answers in: one answer is a few KiB, and at
// thousands of lookups a second a new buffer each time kept the garbage collector busy.
var bodies = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// listBody writes members as the full path answers a list of users: the library's map of the
// list, each resource with id, externalId, schemas and meta added to its attributes, and
// itemsPerPage the number on the page, as shape leaves it.
func (h *handler) listBody(dst []byte, list []org.SCIMUser, total int) ([]byte, error) {
	resources := make([]any, len(list))
	for i, u := range list {
		res := h.userResource(u, selection{})
		attrs := res.Attributes // made for this answer alone: the library copies it, we need not
		attrs["id"] = res.ID
		if res.ExternalID.Present() {
			attrs["externalId"] = res.ExternalID.Value()
		}
		attrs["schemas"] = []string{userSchema.ID, enterpriseSchema.ID}
		attrs["meta"] = libMeta{ResourceType: "User", Created: res.Meta.Created.Format(time.RFC3339),
			LastModified: res.Meta.LastModified.Format(time.RFC3339), Location: h.location("Users", res.ID),
			Version: res.Meta.Version}
		resources[i] = map[string]any(attrs) // the plain map type, which appendJSON writes itself
	}
	return appendJSON(dst, map[string]any{
		"schemas":      []string{"urn:ietf:params:scim:api:messages:2.0:ListResponse"},
		"totalResults": total,
		"itemsPerPage": len(list), // what the full path's shape writes over the library's page size
		"startIndex":   1,
		"Resources":    resources,
	})
}

// libMeta is the library's meta object, field for field.
type libMeta struct {
	ResourceType string `json:"resourceType"`
	Created      string `json:"created,omitempty"`
	LastModified string `json:"lastModified,omitempty"`
	Location     string `json:"location"`
	Version      string `json:"version,omitempty"`
}

// location is a resource's address as the library builds it (it parses the base each time;
// h parsed it once).
func (h *handler) location(endpoint, id string) string {
	rel := endpoint + "/" + url.PathEscape(id)
	if h.baseURL == nil {
		return rel
	}
	u := *h.baseURL
	u.Path = u.Path + "/" + rel
	return u.String()
}
