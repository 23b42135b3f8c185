package token

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"regexp"
	"strings"
)

// Kind is the readable prefix that names what a token is for.
type Kind string

// The token kinds. Each is the prefix its tokens start with.
const (
	Invite  Kind = "lbi_"
	Join    Kind = "lbj_"
	Reset   Kind = "lbr_"
	API     Kind = "lba_"
	SCIM    Kind = "lbs_"
	Session Kind = "lbx_"
	Setup   Kind = "lbu_"
)

var kinds = []Kind{Invite, Join, Reset, API, SCIM, Session, Setup}

const (
	secretBytes = 32
	prefixLen   = 4
	bodyLen     = 52 // base32 characters for 32 bytes, unpadded
	// Len is the length in bytes of every token.
	Len = prefixLen + bodyLen
)

const alphabet = "abcdefghijklmnopqrstuvwxyz234567"

var encoding = base32.NewEncoding(alphabet).WithPadding(base32.NoPadding)

// Kinds returns every token kind.
func Kinds() []Kind { return append([]Kind(nil), kinds...) }

// Valid reports whether k is one of the token kinds.
func (k Kind) Valid() bool {
	for _, v := range kinds {
		if k == v {
			return true
		}
	}
	return false
}

// New returns a fresh token of the given kind and the hash to store for it. The
// plain token goes to its owner once and is never stored. New panics on a kind
// that is not one of the constants, which is a programming error.
func New(kind Kind) (plain, hash string) {
	if !kind.Valid() {
		panic("token: unknown kind " + string(kind))
	}
	b := make([]byte, secretBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never returns an error on supported systems
	plain = string(kind) + encoding.EncodeToString(b)
	return plain, Hash(plain)
}

// Hash returns the hex SHA-256 of the whole plain token, prefix included: the only
// form in which a token is stored or looked up.
func Hash(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

// Looks reports whether plain has the exact shape of a token of the given kind:
// its prefix, 52 characters of lower-case base32, and a last character that a
// 32-byte secret can end in. It is cheap and does no I/O, so callers can refuse junk
// before hashing it or touching the database.
func Looks(plain string, kind Kind) bool {
	if len(plain) != Len || !kind.Valid() || !strings.HasPrefix(plain, string(kind)) {
		return false
	}
	body := plain[prefixLen:]
	for i := 0; i < len(body); i++ {
		if strings.IndexByte(alphabet, body[i]) < 0 {
			return false
		}
	}
	// 256 bits fill 51 characters and one bit of the 52nd; its other 4 bits are zero.
	last := body[bodyLen-1]
	return last == 'a' || last == 'q'
}

// KindOf returns the kind of a string that Looks like a token of some kind.
func KindOf(plain string) (Kind, bool) {
	for _, k := range kinds {
		if Looks(plain, k) {
			return k, true
		}
	}
	return "", false
}

// redactable matches a token prefix and the run of URL-safe characters after it,
// so whole tokens, truncated ones and tokens with junk appended are all caught.
var redactable = func() *regexp.Regexp {
	alt := make([]string, len(kinds))
	for i, k := range kinds {
		alt[i] = regexp.QuoteMeta(string(k))
	}
	return regexp.MustCompile(`(` + strings.Join(alt, "|") + `)[A-Za-z0-9_\-]+`)
}()

// redacted matches what Redact leaves of a token.
var redacted = func() *regexp.Regexp {
	alt := make([]string, len(kinds))
	for i, k := range kinds {
		alt[i] = regexp.QuoteMeta(string(k))
	}
	return regexp.MustCompile(`(` + strings.Join(alt, "|") + `)…`)
}()

// Redacted reports whether s holds a token that Redact took out.
func Redacted(s string) bool { return strings.Contains(s, "…") && redacted.MatchString(s) }

// Redact replaces every token-looking substring of s — in a URL path, a header, an
// error — with its prefix and "…", e.g. "/invite/lbi_…", so s is safe to log.
func Redact(s string) string {
	if !strings.Contains(s, "lb") {
		return s
	}
	return redactable.ReplaceAllString(s, "${1}…")
}
