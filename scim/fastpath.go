package scim

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/lobby/lobby/app/store"
)

// Identity providers look people up with one equality almost every time they sync someone
// (userName eq "…", externalId eq "…"). The library's filter parser takes about a third of such
// a request, so these filters skip it: quickFilter takes them out of the query and leaves the
// equivalent condition in the request context, where listQuery finds it.

type quickKey struct{}

// quickAttrs are the attributes whose equality needs nothing of the parser, per endpoint.
var quickAttrs = map[string]map[string]bool{
	"/Users":  set("username", "externalid", "id", "displayname"),
	"/Groups": set("displayname", "externalid", "id"),
}

// quickFilter moves a simple equality filter of a GET on /Users or /Groups into the context.
func quickFilter(r *http.Request, path string, u *url.URL) *http.Request {
	attrs, ok := quickAttrs[path]
	if !ok || r.Method != http.MethodGet {
		return r
	}
	q := u.Query()
	c, ok := quickEquality(q.Get("filter"), attrs)
	if !ok || len(q["filter"]) != 1 {
		return r
	}
	q.Del("filter")
	u.RawQuery = q.Encode()
	return r.WithContext(context.WithValue(r.Context(), quickKey{}, c))
}

// quickEquality reads filter as one equality on one of attrs, with its value decoded: an
// attribute name, the operator eq and a JSON string, apart by white space (any case for the
// name and the operator). Anything else is for the library's parser.
func quickEquality(filter string, attrs map[string]bool) (*store.SCIMCond, bool) {
	attr, lit, ok := splitEquality(filter)
	if !ok || !attrs[strings.ToLower(attr)] {
		return nil, false
	}
	v := lit[1 : len(lit)-1]
	if strings.IndexByte(v, '\\') >= 0 || !plainText(v) {
		if json.Unmarshal([]byte(lit), &v) != nil {
			return nil, false
		}
	}
	return &store.SCIMCond{Op: "eq", Attr: strings.ToLower(attr), Value: v}, true
}

// splitEquality splits `attr eq "value"` into the attribute and the quoted value. It reads
// what the expression (?i)^\s*([a-z][a-z0-9.]*)\s+eq\s+("(?:[^"\\]|\\.)*")\s*$ matches, without
// the regular expression, which took a tenth of a lookup.
func splitEquality(f string) (attr, lit string, ok bool) {
	i := skipSpace(f, 0)
	start := i
	for i < len(f) && (isLetter(f[i]) || i > start && (f[i] >= '0' && f[i] <= '9' || f[i] == '.')) {
		i++
	}
	attr = f[start:i]
	j := skipSpace(f, i)
	if attr == "" || j == i || j+2 > len(f) || !strings.EqualFold(f[j:j+2], "eq") {
		return "", "", false
	}
	k := skipSpace(f, j+2)
	if k == j+2 || k >= len(f) || f[k] != '"' {
		return "", "", false
	}
	end := k + 1
	for ; end < len(f) && f[end] != '"'; end++ {
		if f[end] == '\\' {
			if end+1 >= len(f) || f[end+1] == '\n' {
				return "", "", false
			}
			end++
		}
	}
	if end >= len(f) || skipSpace(f, end+1) != len(f) {
		return "", "", false
	}
	return attr, f[k : end+1], true
}

// skipSpace returns the index of the first byte at or after i that is not white space as
// regular expressions mean it (\s: tab, newline, form feed, carriage return, space).
func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\f' || s[i] == '\r') {
		i++
	}
	return i
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// plainText reports whether s holds only printable ASCII, which a JSON string keeps as it is.
func plainText(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// quickCond is the condition quickFilter left in the request, if any.
func quickCond(r *http.Request) *store.SCIMCond {
	c, _ := r.Context().Value(quickKey{}).(*store.SCIMCond)
	return c
}
