package password

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want error
	}{
		{"", ErrTooShort},
		{"1234567", ErrTooShort},
		{"😀😀😀😀😀😀😀", ErrTooShort}, // 28 bytes but 7 characters
		{"12345678", nil},
		{"password", nil}, // no composition rules
		{"ééééé éé", nil},
		{strings.Repeat("x", 128), nil},
		{strings.Repeat("é", 128), nil},
		{strings.Repeat("x", 129), ErrTooLong},
		{"12345678\xff", ErrInvalid},
	}
	for _, tt := range tests {
		if got := Check(tt.in); !errors.Is(got, tt.want) {
			t.Errorf("Check(%q) = %v; want %v", tt.in, got, tt.want)
		}
	}
	if ErrTooShort.Error() != "password must be at least 8 characters" {
		t.Errorf("ErrTooShort text = %q", ErrTooShort.Error())
	}
}

func TestHashVerifyRoundTrip(t *testing.T) {
	t.Parallel()
	h := New(0)
	ctx := context.Background()
	start := time.Now()
	enc, err := h.Hash(ctx, "correct horse battery staple")
	if err != nil {
		t.Fatalf("Hash: %v", err)
	}
	t.Logf("one argon2id hash took %v", time.Since(start))
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("Hash encoding = %q; want argon2id PHC prefix with m=19456,t=2,p=1", enc)
	}
	_, salt, key, err := decode(enc)
	if err != nil || len(salt) != 16 || len(key) != 32 {
		t.Fatalf("decode(Hash) salt %d bytes, key %d bytes, err %v; want 16, 32, nil", len(salt), len(key), err)
	}
	if ok, err := h.Verify(ctx, enc, "correct horse battery staple"); !ok || err != nil {
		t.Errorf("Verify(right password) = %v, %v; want true, nil", ok, err)
	}
	for _, wrong := range []string{"correct horse battery stapl", "Correct horse battery staple", "", "correct horse battery staple "} {
		if ok, err := h.Verify(ctx, enc, wrong); ok || err != nil {
			t.Errorf("Verify(%q) = %v, %v; want false, nil", wrong, ok, err)
		}
	}
	enc2, err := h.Hash(ctx, "correct horse battery staple")
	if err != nil || enc2 == enc {
		t.Errorf("second Hash of the same password = %q, %v; want a different salt", enc2, err)
	}
}

func TestVerifyStrongerParams(t *testing.T) {
	t.Parallel()
	p := Params{Memory: 32768, Time: 3, Threads: 2, SaltLen: 24, KeyLen: 64}
	salt := []byte("0123456789abcdef01234567")
	enc := encode(p, salt, argon2.IDKey([]byte("long enough pw"), salt, p.Time, p.Memory, p.Threads, p.KeyLen))
	h := New(1)
	if ok, err := h.Verify(context.Background(), enc, "long enough pw"); !ok || err != nil {
		t.Fatalf("Verify(stronger params) = %v, %v; want true, nil", ok, err)
	}
}

func TestVerifyTampered(t *testing.T) {
	t.Parallel()
	h := New(0)
	ctx := context.Background()
	enc, err := h.Hash(ctx, "tamper proof")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(enc, "$")
	with := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, "$")
	}
	malformed := []string{
		"", "plain", "$argon2id$", enc + "$x", strings.TrimPrefix(enc, "$"),
		with(1, "argon2i"), with(1, "bcrypt"), with(2, "v=16"), with(2, "v=019"), with(2, "v=19x"),
		with(3, "m=0,t=2,p=1"), with(3, "m=4194304,t=2,p=1"), with(3, "m=19456,t=0,p=1"),
		with(3, "m=19456,t=1000,p=1"), with(3, "m=19456,t=2,p=0"), with(3, "m=19456,t=2,p=256"),
		with(3, "m=019456,t=2,p=1"), with(3, "m=19456,t=2"), with(3, "m=-1,t=2,p=1"),
		with(4, "not base64!"), with(4, "c2FsdA"), with(4, parts[4]+"="), with(5, "c2hvcnQ"), with(5, ""),
	}
	for _, m := range malformed {
		if ok, err := h.Verify(ctx, m, "tamper proof"); ok || !errors.Is(err, ErrMalformed) {
			t.Errorf("Verify(%q) = %v, %v; want false, ErrMalformed", m, ok, err)
		}
	}
	flip := func(s string) string { // change one character, keeping valid base64
		b := []byte(s)
		if b[3] == 'A' {
			b[3] = 'B'
		} else {
			b[3] = 'A'
		}
		return string(b)
	}
	for _, m := range []string{with(4, flip(parts[4])), with(5, flip(parts[5])), with(3, "m=19456,t=3,p=1")} {
		if ok, err := h.Verify(ctx, m, "tamper proof"); ok || err != nil {
			t.Errorf("Verify(%q) = %v, %v; want false, nil", m, ok, err)
		}
	}
}

// counting replaces the key derivation of h with a fast one that counts calls,
// tracks the most calls running at once and records the parameters it was given.
type counting struct {
	calls, running, peak atomic.Int32
	mu                   sync.Mutex
	last                 Params
	saltLen              int
	hold                 time.Duration
}

func (c *counting) install(h *Hasher) {
	h.derive = func(plain, salt []byte, p Params) []byte {
		c.calls.Add(1)
		n := c.running.Add(1)
		for {
			old := c.peak.Load()
			if n <= old || c.peak.CompareAndSwap(old, n) {
				break
			}
		}
		time.Sleep(c.hold)
		c.running.Add(-1)
		c.mu.Lock()
		c.last, c.saltLen = p, len(salt)
		c.mu.Unlock()
		return make([]byte, p.KeyLen)
	}
}

func BenchmarkHash(b *testing.B) {
	h := New(1)
	ctx := context.Background()
	for b.Loop() {
		if _, err := h.Hash(ctx, "correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDummyVerify(b *testing.B) {
	h := New(1)
	ctx := context.Background()
	for b.Loop() {
		h.DummyVerify(ctx)
	}
}

// An instance may ask for longer passwords than the floor, never shorter ones, and the error
// names its own minimum.
func TestCheckLength(t *testing.T) {
	for _, tc := range []struct {
		plain string
		min   int
		want  string
	}{
		{"twelve chars", 12, ""},
		{"eleven char", 12, "password must be at least 12 characters"},
		{"1234567", 4, "password must be at least 8 characters"},
		{"12345678", 4, ""},
	} {
		err := CheckLength(tc.plain, tc.min)
		if got := fmt.Sprint(err); (tc.want == "" && err != nil) || (tc.want != "" && got != tc.want) {
			t.Errorf("CheckLength(%q, %d) = %v, want %q", tc.plain, tc.min, err, tc.want)
		}
		if tc.want != "" && !errors.Is(err, ErrTooShort) {
			t.Errorf("CheckLength(%q, %d) is not ErrTooShort", tc.plain, tc.min)
		}
	}
}
