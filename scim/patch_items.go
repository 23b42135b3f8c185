package scim

import (
	"reflect"
	"sort"
	"strings"

	"github.com/scim2/filter-parser/v2"
)

// equalities collects the attr eq value parts of a filter joined by and.
func equalities(e filter.Expression, out map[string]any) map[string]any {
	switch e := e.(type) {
	case *filter.AttributeExpression:
		if e.Operator == filter.EQ {
			out[e.AttributePath.AttributeName] = e.CompareValue
		}
	case *filter.LogicalExpression:
		if e.Operator == filter.AND {
			equalities(e.Left, out)
			equalities(e.Right, out)
		}
	}
	return out
}

// items returns a multi-valued value as a list.
func items(v any) []any {
	switch v := v.(type) {
	case nil:
		return []any{}
	case []any:
		return append([]any{}, v...)
	default:
		return []any{v}
	}
}

// itemKey is what identifies an item of a multi-valued attribute: its value, or itself.
func itemKey(v any) any {
	if m, ok := v.(map[string]any); ok {
		if x := get(m, "value"); x != nil {
			if s, ok := x.(string); ok {
				return strings.ToLower(s)
			}
			return x
		}
	}
	return v
}

func containsItem(list []any, v any) bool {
	for _, it := range list {
		if reflect.DeepEqual(itemKey(it), itemKey(v)) {
			return true
		}
	}
	return false
}

func without(list, drop []any) []any {
	out := []any{}
	for _, it := range list {
		if !containsItem(drop, it) {
			out = append(out, it)
		}
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
