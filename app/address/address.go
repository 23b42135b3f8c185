package address

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Error codes carried by *Error.
const (
	// CodeInvalidEmail marks an email address that Parse refused.
	CodeInvalidEmail = "invalid_email"
	// CodeInvalidDomain marks a domain that NormaliseDomain refused.
	CodeInvalidDomain = "invalid_domain"
)

const (
	maxLocal = 64   // octets before the @ (RFC 5321 4.5.3.1.1)
	maxTotal = 254  // octets of the whole normalised address
	maxInput = 1024 // bytes of raw input looked at before giving up as too long
)

// Error says why an address or domain was refused. Code is a stable machine code
// (CodeInvalidEmail or CodeInvalidDomain) and Message a plain-English phrase that
// completes "email address …" or "domain …", such as "has no @".
type Error struct {
	Code    string
	Message string
}

// Error returns the subject and the message, e.g. "email address has no @".
func (e *Error) Error() string {
	if e.Code == CodeInvalidDomain {
		return "domain " + e.Message
	}
	return "email address " + e.Message
}

func invalid(msg string) *Error { return &Error{Code: CodeInvalidEmail, Message: msg} }

// Parse checks that s is one bare address (local@domain) and returns its normalised
// form: trimmed, lower-cased, with the domain converted to ASCII by IDNA. That string
// is the only form of the address Lobby may check, store, compare or mail to.
// Refusals are *Error values with Code CodeInvalidEmail.
func Parse(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", invalid("is empty")
	}
	if len(s) > maxInput {
		return "", invalid("is too long (more than 254 characters)")
	}
	if !utf8.ValidString(s) {
		return "", invalid("is not valid UTF-8 text")
	}
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		if strings.ContainsAny(s, "＠﹫") {
			return "", invalid("has a full-width ＠; use the ordinary @")
		}
		return "", invalid("has no @")
	}
	if msg := shapeProblem(s); msg != "" {
		return "", invalid(msg)
	}
	local, domain := s[:at], s[at+1:]
	if strings.IndexByte(local, '@') >= 0 {
		return "", invalid("has more than one @")
	}
	if local == "" {
		return "", invalid("has nothing before the @")
	}
	if domain == "" {
		return "", invalid("has nothing after the @")
	}
	if msg := localProblem(local); msg != "" {
		return "", invalid(msg)
	}
	d, msg := normaliseDomain(domain)
	if msg != "" {
		return "", invalid("has a domain that " + msg)
	}
	out := strings.ToLower(local) + "@" + d
	if len(out) > maxTotal {
		return "", invalid("is too long (more than 254 characters)")
	}
	return out, nil
}

// shapeProblem finds constructs that are never part of a bare address: display
// names, lists, quoting, comments, whitespace, control and invisible characters.
func shapeProblem(s string) string {
	switch {
	case strings.ContainsAny(s, "<>"):
		return "has a display name or angle brackets; give the bare address, like name@example.com"
	case strings.ContainsAny(s, ",;"):
		if strings.Count(s, "@") > 1 {
			return "holds more than one address; give one at a time"
		}
		return "contains a comma or semicolon"
	case strings.ContainsRune(s, '"'):
		return "has a quoted part; give the bare address"
	case strings.ContainsAny(s, "()"):
		return "has a comment in brackets; give the bare address"
	}
	for _, r := range s {
		switch {
		case unicode.IsControl(r):
			return "contains a control character such as a line break"
		case unicode.IsSpace(r):
			if strings.Count(s, "@") > 1 {
				return "holds more than one address; give one at a time"
			}
			return "contains a space"
		case unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Co, r) || r == utf8.RuneError:
			return "contains an invisible or unassigned character"
		}
	}
	return ""
}

// localProblem checks the part before the @ as an RFC 5322 dot-atom of ASCII
// characters. Non-ASCII local parts are refused: they need SMTPUTF8 end to end and
// case-fold in surprising ways (the Kelvin sign lower-cases to "k").
func localProblem(local string) string {
	if len(local) > maxLocal {
		return "has more than 64 characters before the @"
	}
	if local[0] == '.' || local[len(local)-1] == '.' {
		return "starts or ends the part before the @ with a dot"
	}
	if strings.Contains(local, "..") {
		return "has two dots in a row"
	}
	for i := 0; i < len(local); i++ {
		c := local[i]
		if c >= utf8.RuneSelf {
			r, _ := utf8.DecodeRuneInString(local[i:])
			if r == '＠' {
				return "has a full-width ＠; use the ordinary @"
			}
			return "has a non-ASCII character before the @"
		}
		if !isAtext(c) {
			return "has a character that is not allowed before the @: " + string(rune(c))
		}
	}
	return ""
}

// isAtext reports whether c is an RFC 5322 atext character or a dot.
func isAtext(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte(".!#$%&'*+-/=?^_`{|}~", c) >= 0
}
