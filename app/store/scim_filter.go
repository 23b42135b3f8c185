package store

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// ErrBadFilter wraps every refusal of a SCIMCond or SCIMSort: an attribute that cannot be
// filtered or sorted on, or an operator that does not fit it. The message says which.
var ErrBadFilter = errors.New("unsupported filter")

// SCIMCond is one node of a SCIM filter in the form the store turns into SQL. Op is "and" or
// "or" over two or more Kids, "not" over one, "any" (some item of the multi-valued Attr matches
// all of Kids, whose Attrs name the item's sub-attributes), or a comparison — eq ne co sw ew pr
// gt ge lt le — of Attr with Value. Attr is a lower-case SCIM attribute path ("username",
// "meta.lastmodified"); Value is a string, a bool, or an int64 of unix milliseconds for dates.
type SCIMCond struct {
	Op    string
	Attr  string
	Value any
	Kids  []SCIMCond
}

// SCIMSort orders a SCIM list by one attribute; ties and the default order go by id, which is
// creation order, so paging with startIndex is stable.
type SCIMSort struct {
	Attr string
	Desc bool
}

// fieldKind says how a column compares.
type fieldKind int

const (
	kindExact fieldKind = iota // case-exact text (ids, externalId)
	kindLower                  // text stored lower-cased by Go (addresses): the value is lower-cased in Go
	kindFold                   // case-insensitive text: both sides folded with SQLite's ASCII lower()
	kindBool                   // an SQL truth expression
	kindTime                   // unix milliseconds, compared at the second shown in meta
)

type field struct {
	expr string
	kind fieldKind
}

// multi is a multi-valued attribute: the rows of its items and the fields of one item.
type multi struct {
	from   string // FROM … WHERE … of the items, tied to the outer row
	fields map[string]field
}

// scimTable is what one resource type offers to filters.
type scimTable struct {
	fields map[string]field
	multis map[string]multi
}

// scimAttrs is the attributes JSON of a membership, or NULL when it is not JSON.
const scimAttrs = `(CASE WHEN json_valid(m.attributes) THEN m.attributes END)`

// scimEmails is the emails a member is shown with: those the provider sent, or else their
// address as the one work email (as scim/user_attrs.go shows it), so that a filter finds what a
// provider reads.
const scimEmails = `CASE WHEN json_array_length(` + scimAttrs + `, '$.emails') > 0 THEN json_extract(` + scimAttrs + `, '$.emails')
 ELSE json_array(json_object('value', u.email_norm, 'type', 'work', 'primary', json('true'))) END`

var scimUserTable = scimTable{
	fields: map[string]field{
		"id":                {"m.id", kindExact},
		"username":          {"u.email_norm", kindLower},
		"externalid":        {"m.external_id", kindExact},
		"displayname":       {"COALESCE(NULLIF(json_extract(" + scimAttrs + ", '$.displayName'), ''), u.name)", kindFold},
		"name.givenname":    {"COALESCE(json_extract(" + scimAttrs + ", '$.name.givenName'), '')", kindFold},
		"name.familyname":   {"COALESCE(json_extract(" + scimAttrs + ", '$.name.familyName'), '')", kindFold},
		"active":            {"m.status = 'active'", kindBool},
		"meta.created":      {"m.joined_at", kindTime},
		"meta.lastmodified": {"m.updated_at", kindTime},
	},
	multis: map[string]multi{
		"emails": {
			from: "json_each(" + scimEmails + ") e",
			fields: map[string]field{
				"value":   {"COALESCE(json_extract(e.value, '$.value'), '')", kindLower},
				"type":    {"COALESCE(json_extract(e.value, '$.type'), '')", kindFold},
				"primary": {"json_extract(e.value, '$.primary') = 1", kindBool},
			},
		},
	},
}

var scimTeamTable = scimTable{
	fields: map[string]field{
		"id":                {"t.id", kindExact},
		"displayname":       {"t.name", kindFold},
		"externalid":        {"t.external_id", kindExact},
		"meta.created":      {"t.created_at", kindTime},
		"meta.lastmodified": {"t.updated_at", kindTime},
	},
	multis: map[string]multi{
		"members": {
			from:   "team_members tm WHERE tm.team_id = t.id",
			fields: map[string]field{"value": {"tm.membership_id", kindExact}},
		},
	},
}

// maxCondNodes bounds the size of a filter the store will turn into SQL.
const maxCondNodes = 64

// where renders c as an SQL condition with its arguments.
func (tb scimTable) where(c *SCIMCond) (string, []any, error) {
	if c == nil {
		return "1", nil, nil
	}
	b := condBuilder{table: tb}
	sql, err := b.build(*c, tb.fields, false, 0)
	return sql, b.args, err
}

// orderBy renders the ORDER BY list for s, always ending in the id so ties keep one order.
func (tb scimTable) orderBy(s SCIMSort, idExpr string) (string, error) {
	dir := ""
	if s.Desc {
		dir = " DESC"
	}
	if s.Attr == "" || s.Attr == "id" {
		return idExpr + dir, nil
	}
	f, ok := tb.fields[s.Attr]
	if !ok || f.kind == kindBool {
		return "", fmt.Errorf("%w: cannot sort by %q; sort by one of %s", ErrBadFilter, s.Attr, tb.sortable())
	}
	expr := f.expr
	if f.kind == kindFold {
		expr += " COLLATE NOCASE"
	}
	return expr + dir + ", " + idExpr, nil
}

func (tb scimTable) sortable() string {
	var names []string
	for k, f := range tb.fields {
		if f.kind != kindBool {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

type condBuilder struct {
	table scimTable
	args  []any
	nodes int
}

func (b *condBuilder) build(c SCIMCond, fields map[string]field, inItem bool, depth int) (string, error) {
	b.nodes++
	if b.nodes > maxCondNodes || depth > 16 {
		return "", fmt.Errorf("%w: the filter has more than %d parts", ErrBadFilter, maxCondNodes)
	}
	switch c.Op {
	case "and", "or":
		if len(c.Kids) < 2 {
			return "", fmt.Errorf("%w: %q needs two sides", ErrBadFilter, c.Op)
		}
		parts := make([]string, len(c.Kids))
		for i, k := range c.Kids {
			s, err := b.build(k, fields, inItem, depth+1)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return "(" + strings.Join(parts, " "+strings.ToUpper(c.Op)+" ") + ")", nil
	case "not":
		if len(c.Kids) != 1 {
			return "", fmt.Errorf("%w: not needs one expression", ErrBadFilter)
		}
		s, err := b.build(c.Kids[0], fields, inItem, depth+1)
		return "NOT " + s, err
	case "any":
		m, ok := b.table.multis[c.Attr]
		if !ok || inItem {
			return "", fmt.Errorf("%w: %q is not a multi-valued attribute that can be filtered", ErrBadFilter, c.Attr)
		}
		if len(c.Kids) == 0 {
			return "", fmt.Errorf("%w: %s[…] needs a condition", ErrBadFilter, c.Attr)
		}
		parts := make([]string, len(c.Kids))
		for i, k := range c.Kids {
			s, err := b.build(k, m.fields, true, depth+1)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		kw := " WHERE "
		if strings.Contains(m.from, " WHERE ") {
			kw = " AND "
		}
		return "EXISTS (SELECT 1 FROM " + m.from + kw + strings.Join(parts, " AND ") + ")", nil
	}
	f, ok := fields[c.Attr]
	if !ok {
		return "", fmt.Errorf("%w: filtering on %q is not supported", ErrBadFilter, c.Attr)
	}
	return b.compare(f, c)
}

// compare renders one comparison of field f.
func (b *condBuilder) compare(f field, c SCIMCond) (string, error) {
	bad := func() (string, error) {
		return "", fmt.Errorf("%w: %s %s %v does not fit the attribute", ErrBadFilter, c.Attr, c.Op, c.Value)
	}
	switch f.kind {
	case kindBool:
		v, ok := c.Value.(bool)
		switch {
		case c.Op == "pr":
			return "1", nil
		case !ok || (c.Op != "eq" && c.Op != "ne"):
			return bad()
		case v == (c.Op == "eq"):
			return "(" + f.expr + ")", nil
		default:
			return "NOT (" + f.expr + ")", nil
		}
	case kindTime:
		if c.Op == "pr" {
			return "1", nil
		}
		v, ok := c.Value.(int64)
		op := sqlOps[c.Op]
		if !ok || op == "" {
			return bad()
		}
		b.args = append(b.args, floorDiv(v, 1000))
		return "(" + f.expr + " / 1000) " + op + " ?", nil
	}
	v, ok := c.Value.(string)
	if c.Op == "pr" {
		return "COALESCE(" + f.expr + ", '') != ''", nil
	}
	if !ok {
		return bad()
	}
	expr := f.expr
	switch f.kind {
	case kindLower:
		v = strings.ToLower(v)
	case kindFold:
		expr, v = "lower("+f.expr+")", asciiLower(v)
	}
	switch c.Op {
	case "co", "sw", "ew":
		if v == "" {
			return "1", nil
		}
		n := utf8.RuneCountInString(v)
		switch c.Op {
		case "co":
			b.args = append(b.args, v)
			return "instr(" + expr + ", ?) > 0", nil
		case "sw":
			b.args = append(b.args, n, v)
			return "substr(" + expr + ", 1, ?) = ?", nil
		default:
			b.args = append(b.args, -n, v)
			return "substr(" + expr + ", ?) = ?", nil
		}
	}
	op := sqlOps[c.Op]
	if op == "" {
		return bad()
	}
	b.args = append(b.args, v)
	return expr + " " + op + " ?", nil
}

var sqlOps = map[string]string{"eq": "=", "ne": "!=", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// asciiLower folds A–Z only, as SQLite's lower() does, so both sides of a comparison agree.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}
