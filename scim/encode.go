package scim

import (
	"encoding/json"
	"slices"
	"strconv"
)

// appendJSON appends v exactly as encoding/json would write it (map keys sorted, <, > and &
// escaped), for the types SCIM answers are built of: maps, lists, strings, booleans, ints and
// the meta object (libMeta).
// Anything else, and any string that is not plain printable ASCII, goes through encoding/json
// itself. The lookup fast path writes its answers with it: encoding/json sorts every map's
// keys through reflection, which was a third of a lookup's time in this package.
func appendJSON(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendString(b, x)
	case bool:
		return strconv.AppendBool(b, x), nil
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case map[string]any:
		if x == nil {
			return append(b, "null"...), nil
		}
		var room [16]string // most SCIM objects' keys fit: no allocation for them
		keys := room[:0]
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendString(b, k); err != nil {
				return nil, err
			}
			b = append(b, ':')
			if b, err = appendJSON(b, x[k]); err != nil {
				return nil, err
			}
		}
		return append(b, '}'), nil
	case []any:
		if x == nil {
			return append(b, "null"...), nil
		}
		return appendList(b, x)
	case []string:
		if x == nil {
			return append(b, "null"...), nil
		}
		return appendList(b, x)
	case libMeta:
		return appendMeta(b, x)
	default:
		j, err := json.Marshal(x)
		return append(b, j...), err
	}
}

// appendList appends a JSON array of items.
func appendList[T any](b []byte, items []T) ([]byte, error) {
	b = append(b, '[')
	for i, item := range items {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendJSON(b, item); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

// appendString appends s quoted; encoding/json writes what needs escaping.
func appendString(b []byte, s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			j, err := json.Marshal(s)
			return append(b, j...), err
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"'), nil
}

// appendMeta appends m as encoding/json writes the struct: its fields in order, the empty
// ones with omitempty left out.
func appendMeta(b []byte, m libMeta) ([]byte, error) {
	fields := [...]struct {
		key, value string
		always     bool
	}{{"resourceType", m.ResourceType, true}, {"created", m.Created, false},
		{"lastModified", m.LastModified, false}, {"location", m.Location, true}, {"version", m.Version, false}}
	b = append(b, '{')
	first := true
	for _, f := range fields {
		if f.value == "" && !f.always {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '"')
		b = append(b, f.key...)
		b = append(b, '"', ':')
		var err error
		if b, err = appendString(b, f.value); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}
