package scim

import (
	"encoding/json"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// The expression quickEquality's hand-written reader replaced.
var quickEqRegexp = regexp.MustCompile(`(?i)^\s*([a-z][a-z0-9.]*)\s+eq\s+("(?:[^"\\]|\\.)*")\s*$`)

// quickEquality accepts and decodes exactly what the regular expression and encoding/json did,
// on hand-picked filters and on 200,000 random ones made of the grammar's pieces.
func TestQuickEqualityReadsWhatTheExpressionRead(t *testing.T) {
	attrs := quickAttrs["/Users"]
	old := func(f string) (string, string, bool) {
		m := quickEqRegexp.FindStringSubmatch(f)
		if m == nil || !attrs[strings.ToLower(m[1])] {
			return "", "", false
		}
		var v string
		if json.Unmarshal([]byte(m[2]), &v) != nil {
			return "", "", false
		}
		return strings.ToLower(m[1]), v, true
	}
	check := func(f string) {
		t.Helper()
		wantAttr, wantValue, wantOK := old(f)
		c, ok := quickEquality(f, attrs)
		if ok != wantOK || ok && (c.Attr != wantAttr || c.Value != wantValue || c.Op != "eq") {
			t.Fatalf("filter %q: got %+v %v, want %q %q %v", f, c, ok, wantAttr, wantValue, wantOK)
		}
	}
	for _, f := range []string{`userName eq "a@example.com"`, ` USERNAME EQ "a" `, "userName\teq\n\"a\"\r\f", `externalId eq "x\"y\\z"`,
		`userName eq "\u00e9\n"`, `userName eq "tab	in"`, `userName eq "a" and active eq true`, `userName eq "a`, `userName eq a`,
		`userNameeq "a"`, `userName eq"a"`, `userName  eq  ""`, `emails.value eq "a"`, `1userName eq "a"`, `userName eq "a\`,
		"userName eq \"a\\\nb\"", `displayName eq "Zoë"`, "displayName eq \"\xff\"", `id eq "x" `, `meta.created eq "x"`, ``} {
		check(f)
	}
	pieces := []string{"userName", "USERNAME", "externalId", "id", "displayName", "emails", ".", "1", "x", "eq", "EQ", "eQ", "ne",
		" ", "  ", "\t", "\n", "\v", "\f", "\r", `"`, `\`, `\"`, `\n`, `\u0041`, `\u12`, "a", "é", "\xff", "\x01", "and", "ſ", "K"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200_000 {
		var b strings.Builder
		for range 1 + r.IntN(8) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		check(b.String())
		// Most random strings fail early; these are close to valid.
		check("userName" + pieces[r.IntN(len(pieces))] + "eq" + pieces[r.IntN(len(pieces))] + `"` + b.String() + `"` + pieces[r.IntN(len(pieces))])
	}
}
