package org

import (
	"crypto/rand"
	"encoding/base32"
	"strings"
)

// randomSlug makes an unguessable join-link slug of 16 lower-case letters and digits.
func randomSlug() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}
