package address

import (
	"strings"
	"testing"
	"unicode"
)

// FuzzParse checks that Parse never panics, that what it accepts is free of
// whitespace and control characters, and that its output is a fixed point.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"bob@example.com", "Bob <b@x.com>", "bob@bücher.de", "a@b@c.com",
		"bob@example.com.", "\"a\"@x.com", "a@x.com\r\nBcc: b@y.com", "bob＠example.com", "bob@ⓔxample.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := Parse(in)
		if err != nil {
			if out != "" {
				t.Fatalf("Parse(%q) returned %q with error %v", in, out, err)
			}
			return
		}
		if strings.IndexFunc(out, func(r rune) bool {
			return unicode.IsSpace(r) || unicode.IsControl(r) || r > unicode.MaxASCII
		}) >= 0 {
			t.Fatalf("Parse(%q) = %q contains whitespace, control or non-ASCII characters", in, out)
		}
		if strings.ToLower(out) != out || len(out) > maxTotal || strings.Count(out, "@") != 1 {
			t.Fatalf("Parse(%q) = %q is not a lower-case single address of at most %d bytes", in, out, maxTotal)
		}
		again, err := Parse(out)
		if err != nil || again != out {
			t.Fatalf("Parse(Parse(%q)) = %q, %v; want %q", in, again, err, out)
		}
		if d, err := NormaliseDomain(Domain(out)); err != nil || d != Domain(out) {
			t.Fatalf("NormaliseDomain(Domain(%q)) = %q, %v; want it unchanged", out, d, err)
		}
	})
}
