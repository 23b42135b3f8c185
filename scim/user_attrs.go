package scim

import (
	"strings"
	"time"

	"github.com/elimity-com/scim"
	"github.com/elimity-com/scim/optional"

	"github.com/lobby/lobby/app/org"
)

// userAttrs is the SCIM form of a member, without id, schemas and meta (the library adds them).
// It is also what PATCH operations are applied to.
func userAttrs(u org.SCIMUser) map[string]any {
	p := u.Profile
	// Room for what most members have and what an answer adds (id, schemas, meta), so that
	// the map is usually made once; a larger hint would double every map's size.
	m := make(map[string]any, 14)
	m["userName"], m["active"] = u.UserName, u.Active
	if u.ExternalID != "" {
		m["externalId"] = u.ExternalID
	}
	if d := firstOf(p.DisplayName, u.AccountName); d != "" {
		m["displayName"] = d
	}
	name := putStrings(map[string]any{}, "formatted", p.Name.Formatted, "familyName", p.Name.FamilyName,
		"givenName", p.Name.GivenName, "middleName", p.Name.MiddleName, "honorificPrefix", p.Name.HonorificPrefix,
		"honorificSuffix", p.Name.HonorificSuffix)
	if len(name) > 0 {
		m["name"] = name
	}
	putStrings(m, "nickName", p.NickName, "title", p.Title, "userType", p.UserType, "preferredLanguage", p.PreferredLanguage,
		"locale", p.Locale, "timezone", p.Timezone)
	emails := make([]any, 0, len(p.Emails))
	for _, e := range p.Emails {
		em := map[string]any{"value": e.Value, "primary": e.Primary}
		putStrings(em, "type", e.Type)
		emails = append(emails, em)
	}
	if len(emails) == 0 {
		// The address is the person's one email; saying so helps providers that match on emails.
		emails = append(emails, map[string]any{"value": u.UserName, "type": "work", "primary": true})
	}
	m["emails"] = emails
	if u.Role != "" {
		m["roles"] = []any{map[string]any{"value": u.Role, "primary": true}}
	}
	e := p.Enterprise
	ext := putStrings(map[string]any{}, "employeeNumber", e.EmployeeNumber, "costCenter", e.CostCenter,
		"organization", e.Organization, "division", e.Division, "department", e.Department)
	if e.Manager != "" {
		ext["manager"] = map[string]any{"value": e.Manager}
	}
	if len(ext) > 0 {
		m[enterpriseURN] = ext
	}
	return m
}

// userResource is the library's form of a member; the groups attribute is left out when the
// request excludes it.
func (h *handler) userResource(u org.SCIMUser, sel selection) scim.Resource {
	attrs := userAttrs(u)
	if !sel.excludes("groups") {
		gs := make([]any, len(u.Groups))
		for i, g := range u.Groups {
			gs[i] = map[string]any{"value": g.ID, "display": g.Display, "$ref": h.base + "/Groups/" + g.ID}
		}
		attrs["groups"] = gs
	}
	return scim.Resource{ID: u.ID, ExternalID: optionalString(u.ExternalID), Attributes: attrs, Meta: meta(u.Created, u.Modified, u.Version)}
}

// userFromAttrs reads a member from validated SCIM attributes (a POST or PUT body, or the
// result of PATCH operations). The password is never read. Active is nil when absent.
func userFromAttrs(a map[string]any) (org.SCIMUser, *bool, error) {
	var u org.SCIMUser
	u.UserName = str(a, "userName")
	if strings.TrimSpace(u.UserName) == "" {
		return u, nil, badValue("userName is required: the person's email address")
	}
	u.ExternalID = str(a, "externalId")
	var active *bool
	if v, ok := get(a, "active").(bool); ok {
		active = &v
	}
	p := &u.Profile
	p.DisplayName, p.NickName, p.Title = str(a, "displayName"), str(a, "nickName"), str(a, "title")
	p.UserType, p.PreferredLanguage = str(a, "userType"), str(a, "preferredLanguage")
	p.Locale, p.Timezone = str(a, "locale"), str(a, "timezone")
	if n, ok := get(a, "name").(map[string]any); ok {
		p.Name = org.SCIMName{Formatted: str(n, "formatted"), FamilyName: str(n, "familyName"), GivenName: str(n, "givenName"),
			MiddleName: str(n, "middleName"), HonorificPrefix: str(n, "honorificPrefix"), HonorificSuffix: str(n, "honorificSuffix")}
	}
	for _, item := range list(a, "emails") {
		if em, ok := item.(map[string]any); ok && str(em, "value") != "" {
			primary, _ := get(em, "primary").(bool)
			p.Emails = append(p.Emails, org.SCIMEmail{Value: str(em, "value"), Type: str(em, "type"), Primary: primary})
		}
	}
	for _, item := range list(a, "roles") {
		if r, ok := item.(map[string]any); ok && str(r, "value") != "" {
			if primary, _ := get(r, "primary").(bool); primary || u.Role == "" {
				u.Role = str(r, "value")
			}
		}
	}
	if ext, ok := get(a, enterpriseURN).(map[string]any); ok {
		p.Enterprise = org.SCIMEnterprise{EmployeeNumber: str(ext, "employeeNumber"), CostCenter: str(ext, "costCenter"),
			Organization: str(ext, "organization"), Division: str(ext, "division"), Department: str(ext, "department")}
		switch mg := get(ext, "manager").(type) {
		case map[string]any:
			p.Enterprise.Manager = str(mg, "value")
		case string:
			p.Enterprise.Manager = mg
		}
	}
	return u, active, nil
}

// get reads a key ignoring case.
func get(m map[string]any, key string) any {
	if k := findKey(m, key); k != "" {
		return m[k]
	}
	return nil
}

func str(m map[string]any, key string) string {
	s, _ := get(m, key).(string)
	return s
}

func list(m map[string]any, key string) []any {
	l, _ := get(m, key).([]any)
	return l
}

// putStrings sets the non-empty values of key, value pairs.
func putStrings(m map[string]any, kv ...string) map[string]any {
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			m[kv[i]] = kv[i+1]
		}
	}
	return m
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func optionalString(s string) optional.String {
	if s == "" {
		return optional.String{}
	}
	return optional.NewString(s)
}

func meta(created, modified int64, version string) scim.Meta {
	c, m := time.UnixMilli(created).UTC(), time.UnixMilli(modified).UTC()
	return scim.Meta{Created: &c, LastModified: &m, Version: version}
}
