package address

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// profile is IDNA's lookup profile (UTS 46 mapping, STD3 rules, hyphen, joiner and
// bidi checks) plus DNS length checks, so empty labels and labels over 63 octets fail.
var profile = idna.New(
	idna.MapForLookup(),
	idna.Transitional(false),
	idna.BidiRule(),
	idna.CheckHyphens(true),
	idna.CheckJoiners(true),
	idna.VerifyDNSLength(true),
)

// Domain returns the part of a normalised address after its last @, or "" when
// there is no @.
func Domain(norm string) string {
	at := strings.LastIndexByte(norm, '@')
	if at < 0 {
		return ""
	}
	return norm[at+1:]
}

// DomainAllowed reports whether the domain of the normalised address norm is one of
// domains. Matches are on whole domains: example.com never matches evil-example.com
// or example.com.evil.com. When subdomains is true, sub.example.com also matches
// example.com (on a dot boundary only). Entries of domains are normalised with
// NormaliseDomain; entries it refuses match nothing. An unnormalised norm fails closed.
func DomainAllowed(norm string, domains []string, subdomains bool) bool {
	d := Domain(norm)
	if d == "" {
		return false
	}
	for _, raw := range domains {
		e, err := NormaliseDomain(raw)
		if err != nil {
			continue
		}
		if d == e || (subdomains && strings.HasSuffix(d, "."+e)) {
			return true
		}
	}
	return false
}

// NormaliseDomain trims s, lower-cases it and converts it to ASCII with IDNA, as
// Parse does for the domain of an address. It refuses anything that is not a plain
// domain name with at least one dot: addresses, URLs, wildcards, trailing dots,
// spaces. Refusals are *Error values with Code CodeInvalidDomain.
func NormaliseDomain(s string) (string, error) {
	s = strings.TrimSpace(s)
	bad := func(msg string) (string, error) {
		return "", &Error{Code: CodeInvalidDomain, Message: msg}
	}
	switch {
	case s == "":
		return bad("is empty")
	case len(s) > maxInput:
		return bad("is too long")
	case !utf8.ValidString(s):
		return bad("is not valid UTF-8 text")
	case strings.ContainsAny(s, "@/:*"):
		return bad("must be a bare domain like example.com, without @, scheme, path or wildcard")
	}
	if msg := shapeProblem(s); msg != "" {
		return bad(strings.Replace(msg, "the bare address", "the bare domain", 1))
	}
	d, msg := normaliseDomain(s)
	if msg != "" {
		return bad(msg)
	}
	return d, nil
}

// normaliseDomain converts d to lower-case ASCII and validates it. It returns a
// phrase completing "domain …" when d is refused.
func normaliseDomain(d string) (string, string) {
	switch {
	case strings.HasPrefix(d, "."):
		return "", "starts with a dot"
	case strings.HasSuffix(d, "."):
		return "", "ends with a dot"
	case strings.Contains(d, ".."):
		return "", "has two dots in a row"
	}
	a, err := profile.ToASCII(d)
	if err != nil || a == "" {
		return "", "is not a valid domain name"
	}
	for i := 0; i < len(a); i++ {
		c := a[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return "", "is not a valid domain name"
		}
	}
	switch {
	case strings.HasSuffix(a, "."):
		return "", "ends with a dot"
	case strings.HasPrefix(a, ".") || strings.Contains(a, ".."):
		return "", "has an empty part between dots"
	case !strings.Contains(a, "."):
		return "", "has no dot (like example.com)"
	case len(a) > 253:
		return "", "is too long"
	}
	tld := a[strings.LastIndexByte(a, '.')+1:]
	if strings.Trim(tld, "0123456789") == "" {
		return "", "ends in a number; give a domain name, not an IP address"
	}
	return a, ""
}
