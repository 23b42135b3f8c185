package password

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Length limits, in characters (runes), checked before hashing. MinLength is the floor: an
// instance may ask for more (CheckLength), never less.
const (
	MinLength = 8
	MaxLength = 128
)

// Errors returned by Check; their text is fit to show to the person.
var (
	ErrTooShort = errors.New("password must be at least 8 characters")
	ErrTooLong  = errors.New("password must be at most 128 characters")
	ErrInvalid  = errors.New("password must be valid UTF-8 text")
)

// ErrMalformed is returned by Verify when the stored encoding cannot be parsed or
// carries parameters outside sane bounds.
var ErrMalformed = errors.New("password hash is malformed")

// Params are argon2id cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams are the parameters new hashes use (OWASP's argon2id minimum).
var DefaultParams = Params{Memory: 19456, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// Check reports whether plain is an acceptable new password: 8 to 128 characters of
// valid UTF-8. It does no hashing and imposes no composition rules.
func Check(plain string) error { return CheckLength(plain, MinLength) }

// CheckLength is Check with a longer minimum of min characters (MinLength when lower). A
// password too short for it is an error that wraps ErrTooShort and names min.
func CheckLength(plain string, min int) error {
	min = max(min, MinLength)
	if !utf8.ValidString(plain) {
		return ErrInvalid
	}
	n := utf8.RuneCountInString(plain)
	switch {
	case n < MinLength:
		return ErrTooShort
	case n < min:
		return tooShort(min)
	case n > MaxLength:
		return ErrTooLong
	}
	return nil
}

// Hasher hashes and verifies passwords, running at most a fixed number of argon2id
// computations at once. It is safe for concurrent use.
type Hasher struct {
	sem    chan struct{}
	params Params
	dummy  string // a well-formed hash nobody knows the password of, for DummyVerify
	derive func(plain, salt []byte, p Params) []byte
}

// New returns a Hasher that runs at most maxConcurrent hashes at once (2 when
// maxConcurrent ≤ 0). Each running hash holds about 19 MiB.
func New(maxConcurrent int) *Hasher {
	if maxConcurrent <= 0 {
		maxConcurrent = 2
	}
	h := &Hasher{
		sem:    make(chan struct{}, maxConcurrent),
		params: DefaultParams,
		derive: func(plain, salt []byte, p Params) []byte {
			return argon2.IDKey(plain, salt, p.Time, p.Memory, p.Threads, p.KeyLen)
		},
	}
	h.dummy = encode(h.params, randomBytes(h.params.SaltLen), randomBytes(h.params.KeyLen))
	return h
}

// Hash checks plain with Check and returns its argon2id PHC encoding. It waits for
// a free hashing slot and gives up with the context's error if ctx ends first.
func (h *Hasher) Hash(ctx context.Context, plain string) (string, error) {
	if err := Check(plain); err != nil {
		return "", err
	}
	salt := randomBytes(h.params.SaltLen)
	key, err := h.run(ctx, plain, salt, h.params)
	if err != nil {
		return "", err
	}
	return encode(h.params, salt, key), nil
}

// Verify reports whether plain matches encoded, a PHC string made by Hash (possibly
// with stronger parameters, which are read from the string). A password longer than
// MaxLength never matches; a fixed input is hashed in its place so the answer takes
// the usual time. A malformed encoding
// returns ErrMalformed; a context that ends while waiting for a slot returns its error.
func (h *Hasher) Verify(ctx context.Context, encoded, plain string) (bool, error) {
	p, salt, want, err := decode(encoded)
	if err != nil {
		return false, err
	}
	tooLong := len(plain) > 4*MaxLength || utf8.RuneCountInString(plain) > MaxLength
	if tooLong {
		plain = "" // still hash, so the answer takes the usual time, but never match
	}
	got, err := h.run(ctx, plain, salt, p)
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1 && !tooLong, nil
}

// DummyVerify does the work of one Verify against a hash nobody knows the password
// of, so that answering for an unknown person takes as long as for a known one.
// Call it too for a person with no password (an OIDC-only account).
func (h *Hasher) DummyVerify(ctx context.Context) {
	_, _ = h.Verify(ctx, h.dummy, "not-a-real-password")
}

// run derives a key inside a hashing slot.
func (h *Hasher) run(ctx context.Context, plain string, salt []byte, p Params) ([]byte, error) {
	select {
	case h.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for a password hashing slot: %w", ctx.Err())
	}
	defer func() { <-h.sem }()
	return h.derive([]byte(plain), salt, p), nil
}

// randomBytes returns n bytes from crypto/rand, which never fails on supported systems.
func randomBytes(n uint32) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// tooShort is ErrTooShort for an instance's own, longer minimum.
type tooShort int

func (m tooShort) Error() string {
	return fmt.Sprintf("password must be at least %d characters", int(m))
}
func (m tooShort) Is(target error) bool { return target == ErrTooShort }
