package scim

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/scim2/filter-parser/v2"

	"github.com/lobby/lobby/app/store"
)

// resourceKind is what one resource type allows in filters and sorting.
type resourceKind struct {
	name  string
	urn   string
	attrs map[string]bool            // lower-case attribute paths usable in filters and sortBy
	items map[string]map[string]bool // multi-valued attributes and the sub-attributes of their items
}

var userKind = resourceKind{name: "User", urn: userURN,
	attrs: set("id", "username", "externalid", "displayname", "name.givenname", "name.familyname", "active", "meta.created",
		"meta.lastmodified"),
	items: map[string]map[string]bool{"emails": set("value", "type", "primary")},
}

var groupKind = resourceKind{name: "Group", urn: groupURN,
	attrs: set("id", "displayname", "externalid", "meta.created", "meta.lastmodified"),
	items: map[string]map[string]bool{"members": set("value")},
}

func set(l ...string) map[string]bool {
	m := map[string]bool{}
	for _, s := range l {
		m[s] = true
	}
	return m
}

// supported lists the attributes of k for messages.
func (k resourceKind) supported() string {
	var l []string
	for a := range k.attrs {
		l = append(l, a)
	}
	for a, subs := range k.items {
		for s := range subs {
			l = append(l, a+"."+s)
		}
	}
	sort.Strings(l)
	return strings.Join(l, ", ")
}

// toCond turns a parsed SCIM filter into the store's form, refusing what k does not support.
func toCond(e filter.Expression, k resourceKind) (store.SCIMCond, error) {
	switch e := e.(type) {
	case *filter.LogicalExpression:
		l, err := toCond(e.Left, k)
		if err != nil {
			return l, err
		}
		r, err := toCond(e.Right, k)
		return store.SCIMCond{Op: strings.ToLower(string(e.Operator)), Kids: []store.SCIMCond{l, r}}, err
	case *filter.NotExpression:
		c, err := toCond(e.Expression, k)
		return store.SCIMCond{Op: "not", Kids: []store.SCIMCond{c}}, err
	case *filter.ValuePath:
		name, err := k.path(e.AttributePath)
		if err != nil {
			return store.SCIMCond{}, err
		}
		subs, ok := k.items[name]
		if !ok {
			return store.SCIMCond{}, badFilter(fmt.Sprintf("%s[…] needs a multi-valued attribute; %s has one value", name, name))
		}
		c, err := itemCond(e.ValueFilter, name, subs)
		return store.SCIMCond{Op: "any", Attr: name, Kids: []store.SCIMCond{c}}, err
	case *filter.AttributeExpression:
		name, err := k.path(e.AttributePath)
		if err != nil {
			return store.SCIMCond{}, err
		}
		base, sub, _ := strings.Cut(name, ".")
		if subs, ok := k.items[base]; ok {
			if sub == "" {
				sub = "value"
			}
			if !subs[sub] {
				return store.SCIMCond{}, badFilter(fmt.Sprintf("filtering on %s.%s is not supported", base, sub))
			}
			c, err := compareCond(sub, e)
			return store.SCIMCond{Op: "any", Attr: base, Kids: []store.SCIMCond{c}}, err
		}
		if !k.attrs[name] {
			return store.SCIMCond{}, badFilter(fmt.Sprintf("filtering %ss on %q is not supported; use %s", k.name, name, k.supported()))
		}
		return compareCond(name, e)
	}
	return store.SCIMCond{}, badFilter("the filter has a form Lobby does not know")
}

// itemCond turns the filter inside attr[…] into conditions on one item's sub-attributes.
func itemCond(e filter.Expression, attr string, subs map[string]bool) (store.SCIMCond, error) {
	switch e := e.(type) {
	case *filter.LogicalExpression:
		l, err := itemCond(e.Left, attr, subs)
		if err != nil {
			return l, err
		}
		r, err := itemCond(e.Right, attr, subs)
		return store.SCIMCond{Op: strings.ToLower(string(e.Operator)), Kids: []store.SCIMCond{l, r}}, err
	case *filter.NotExpression:
		c, err := itemCond(e.Expression, attr, subs)
		return store.SCIMCond{Op: "not", Kids: []store.SCIMCond{c}}, err
	case *filter.AttributeExpression:
		name := strings.ToLower(e.AttributePath.AttributeName)
		if e.AttributePath.SubAttribute != nil || !subs[name] {
			return store.SCIMCond{}, badFilter(fmt.Sprintf("filtering on %s.%s is not supported", attr, name))
		}
		return compareCond(name, e)
	}
	return store.SCIMCond{}, badFilter("the filter inside " + attr + "[…] has a form Lobby does not know")
}

// path is the lower-case name of an attribute path of k, without its core schema prefix.
func (k resourceKind) path(p filter.AttributePath) (string, error) {
	if uri := p.URI(); uri != "" && !strings.EqualFold(uri, k.urn) {
		return "", badFilter("filtering on attributes of " + uri + " is not supported")
	}
	name := strings.ToLower(p.AttributeName)
	if name == "password" {
		return "", badFilter("password cannot be used in a filter")
	}
	if sub := p.SubAttributeName(); sub != "" {
		name += "." + strings.ToLower(sub)
	}
	return name, nil
}

// compareCond is one comparison, with dates as unix milliseconds.
func compareCond(attr string, e *filter.AttributeExpression) (store.SCIMCond, error) {
	c := store.SCIMCond{Op: strings.ToLower(string(e.Operator)), Attr: attr}
	if c.Op == "pr" {
		return c, nil
	}
	switch v := e.CompareValue.(type) {
	case string:
		c.Value = v
		if strings.HasPrefix(attr, "meta.") {
			t, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				return c, badFilter(fmt.Sprintf("%s compares with a date such as 2026-03-01T09:00:00Z, not %q", attr, v))
			}
			c.Value = t.UnixMilli()
		} else if attr == "active" || attr == "primary" {
			switch strings.ToLower(v) {
			case "true":
				c.Value = true
			case "false":
				c.Value = false
			}
		}
	case bool:
		c.Value = v
	default:
		return c, badFilter(fmt.Sprintf("%s cannot be compared with %v", attr, e.CompareValue))
	}
	return c, nil
}

// sortAttr is the store's name for a sortBy attribute of k.
func sortAttr(sortBy string, k resourceKind) (string, error) {
	if sortBy == "" {
		return "", nil
	}
	p, err := filter.ParseAttrPath([]byte(sortBy))
	if err != nil {
		return "", badValue("sortBy " + sortBy + " is not an attribute path")
	}
	name, err := k.path(p)
	if err != nil || !k.attrs[name] || name == "active" {
		return "", badValue(fmt.Sprintf("%ss cannot be sorted by %q", k.name, sortBy))
	}
	return name, nil
}
