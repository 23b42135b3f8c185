package scim

import (
	"strings"

	"github.com/elimity-com/scim"
	scimfilter "github.com/elimity-com/scim/filter"
	"github.com/elimity-com/scim/schema"
	"github.com/scim2/filter-parser/v2"
)

// patcher applies validated PATCH operations to a resource's attributes as RFC 7644 3.5.2
// describes; the library validates operations but leaves applying them to its users.
type patcher struct {
	core schema.Schema
	exts []schema.Schema
}

func (p patcher) apply(res map[string]any, ops []scim.PatchOperation) error {
	for _, op := range ops {
		if op.Path != nil {
			if err := p.applyPath(res, op.Op, *op.Path, op.Value); err != nil {
				return err
			}
			continue
		}
		// No path: the value is an object of attribute paths (or extension objects) to values.
		vals, ok := op.Value.(map[string]any)
		if !ok {
			return badValue("a PATCH operation without a path needs an object value")
		}
		for _, k := range sortedKeys(vals) {
			if ext, ok := p.ext(k); ok {
				inner, ok := vals[k].(map[string]any)
				if !ok {
					return badValue("the value of " + k + " must be an object")
				}
				for _, ik := range sortedKeys(inner) {
					path, err := filter.ParsePath([]byte(ik))
					if err != nil {
						return badPath("cannot read the attribute path " + ik)
					}
					id := ext.ID
					path.AttributePath.URIPrefix = &id
					if err := p.applyPath(res, op.Op, path, inner[ik]); err != nil {
						return err
					}
				}
				continue
			}
			path, err := filter.ParsePath([]byte(k))
			if err != nil {
				return badPath("cannot read the attribute path " + k)
			}
			if err := p.applyPath(res, op.Op, path, vals[k]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p patcher) ext(id string) (schema.Schema, bool) {
	for _, e := range p.exts {
		if strings.EqualFold(e.ID, id) {
			return e, true
		}
	}
	return schema.Schema{}, false
}

// applyPath applies one operation at path.
func (p patcher) applyPath(res map[string]any, op string, path filter.Path, value any) error {
	holder, sch := res, p.core
	if uri := path.AttributePath.URI(); uri != "" && !strings.EqualFold(uri, p.core.ID) {
		ext, ok := p.ext(uri)
		if !ok {
			return badPath("unknown schema " + uri)
		}
		key := findKey(res, ext.ID)
		inner, ok := res[key].(map[string]any)
		if !ok {
			if op == scim.PatchOperationRemove {
				return nil
			}
			inner, key = map[string]any{}, ext.ID
			res[key] = inner
		}
		holder, sch = inner, ext
	}
	name := path.AttributePath.AttributeName
	attr, known := sch.Attributes.ContainsAttribute(name)
	if known {
		name = attr.Name()
	} else if strings.EqualFold(name, "externalId") {
		name = "externalId"
	} else {
		return badPath("unknown attribute " + path.String())
	}
	if k := findKey(holder, name); k != "" && k != name {
		holder[name] = holder[k]
		delete(holder, k)
	}
	sub := path.AttributePath.SubAttributeName()
	if path.ValueExpression != nil {
		sub = path.SubAttributeName()
	}
	switch {
	case path.ValueExpression != nil:
		if !known || !attr.MultiValued() {
			return badPath(path.String() + " filters an attribute that has a single value")
		}
		return p.applyFiltered(holder, name, attr, op, path.ValueExpression, sub, value)
	case sub != "":
		return applySub(holder, name, known && attr.MultiValued(), op, sub, value)
	}
	multi := known && attr.MultiValued()
	complexAttr := known && attr.HasSubAttributes()
	switch {
	case op == scim.PatchOperationRemove && multi && value != nil:
		holder[name] = without(items(holder[name]), items(value))
	case op == scim.PatchOperationRemove:
		delete(holder, name)
	case multi && op == scim.PatchOperationAdd:
		cur := items(holder[name])
		for _, v := range items(value) {
			if !containsItem(cur, v) {
				cur = append(cur, v)
			}
		}
		holder[name] = cur
	case multi:
		holder[name] = items(value)
	case complexAttr:
		cur, _ := holder[name].(map[string]any)
		if cur == nil {
			cur = map[string]any{}
		}
		if vm, ok := value.(map[string]any); ok {
			for k, v := range vm {
				cur[k] = v
			}
			holder[name] = cur
		} else {
			return badValue("the value of " + name + " must be an object")
		}
	default:
		holder[name] = value
	}
	return nil
}

// applySub sets or removes one sub-attribute of a complex attribute; for a multi-valued one,
// of every item (or of a new item when there is none).
func applySub(holder map[string]any, name string, multi bool, op, sub string, value any) error {
	if !multi {
		cur, _ := holder[name].(map[string]any)
		if cur == nil {
			if op == scim.PatchOperationRemove {
				return nil
			}
			cur = map[string]any{}
			holder[name] = cur
		}
		setSub(cur, op, sub, value)
		return nil
	}
	list := items(holder[name])
	if len(list) == 0 && op != scim.PatchOperationRemove {
		list = []any{map[string]any{}}
	}
	for _, it := range list {
		if m, ok := it.(map[string]any); ok {
			setSub(m, op, sub, value)
		}
	}
	holder[name] = list
	return nil
}

func setSub(m map[string]any, op, sub string, value any) {
	k := findKey(m, sub)
	if k == "" {
		k = sub
	}
	if op == scim.PatchOperationRemove {
		delete(m, k)
	} else {
		m[k] = value
	}
}

// applyFiltered applies an operation to the items of a multi-valued attribute that pass expr.
// add and replace that match nothing add an item made of the filter's equalities and the value,
// so replace on emails[type eq "work"].value gives a person with no work address one.
func (p patcher) applyFiltered(holder map[string]any, name string, attr schema.CoreAttribute, op string, expr filter.Expression,
	sub string, value any) error {
	v := scimfilter.NewFilterValidator(expr, schema.Schema{Attributes: scimfilter.MultiValuedFilterAttributes(attr)})
	list := items(holder[name])
	var kept []any
	matched := 0
	for _, it := range list {
		m, ok := it.(map[string]any)
		if !ok || v.PassesFilter(m) != nil {
			kept = append(kept, it)
			continue
		}
		matched++
		switch {
		case op == scim.PatchOperationRemove && sub == "":
			continue
		case sub != "":
			setSub(m, op, sub, value)
		default:
			vm, ok := value.(map[string]any)
			if !ok {
				return badValue("the value for " + name + "[…] must be an object")
			}
			for k, x := range vm {
				m[k] = x
			}
		}
		kept = append(kept, m)
	}
	if matched == 0 && op != scim.PatchOperationRemove {
		item := equalities(expr, map[string]any{})
		if sub != "" {
			item[sub] = value
		} else if vm, ok := value.(map[string]any); ok {
			for k, x := range vm {
				item[k] = x
			}
		}
		kept = append(kept, item)
	}
	if kept == nil {
		kept = []any{}
	}
	holder[name] = kept
	return nil
}
