package password

import (
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Bounds on parameters read from a stored hash, so a corrupted or hostile value
// cannot make one verification take gigabytes or minutes.
const (
	maxMemory  = 1 << 20 // KiB (1 GiB)
	maxTime    = 64
	minSaltLen = 8
	maxSaltLen = 64
	minKeyLen  = 16
	maxKeyLen  = 128
)

var b64 = base64.RawStdEncoding

// encode formats an argon2id hash as $argon2id$v=19$m=…,t=…,p=…$salt$key.
func encode(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// decode parses a string made by encode, checking every field and its bounds.
func decode(s string) (Params, []byte, []byte, error) {
	var p Params
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("%w: not an argon2id PHC string", ErrMalformed)
	}
	var v int
	if n, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || n != 1 || parts[2] != fmt.Sprintf("v=%d", v) || v != argon2.Version {
		return p, nil, nil, fmt.Errorf("%w: unsupported version %q", ErrMalformed, parts[2])
	}
	var m, t, th uint64
	n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &th)
	if err != nil || n != 3 || parts[3] != fmt.Sprintf("m=%d,t=%d,p=%d", m, t, th) {
		return p, nil, nil, fmt.Errorf("%w: bad parameters %q", ErrMalformed, parts[3])
	}
	if th < 1 || th > 255 || t < 1 || t > maxTime || m < 8*th || m > maxMemory {
		return p, nil, nil, fmt.Errorf("%w: parameters out of range %q", ErrMalformed, parts[3])
	}
	salt, err := b64.Strict().DecodeString(parts[4])
	if err != nil || len(salt) < minSaltLen || len(salt) > maxSaltLen {
		return p, nil, nil, fmt.Errorf("%w: bad salt", ErrMalformed)
	}
	key, err := b64.Strict().DecodeString(parts[5])
	if err != nil || len(key) < minKeyLen || len(key) > maxKeyLen {
		return p, nil, nil, fmt.Errorf("%w: bad key", ErrMalformed)
	}
	p = Params{Memory: uint32(m), Time: uint32(t), Threads: uint8(th), SaltLen: uint32(len(salt)), KeyLen: uint32(len(key))}
	return p, salt, key, nil
}
