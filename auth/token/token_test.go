package token

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

func TestNewFormat(t *testing.T) {
	t.Parallel()
	for _, k := range Kinds() {
		plain, hash := New(k)
		if len(plain) != Len || !strings.HasPrefix(plain, string(k)) {
			t.Errorf("New(%s) = %q; want %d characters starting with %s", k, plain, Len, k)
		}
		if !Looks(plain, k) {
			t.Errorf("Looks(New(%s)) = false; want true", k)
		}
		if got, ok := KindOf(plain); !ok || got != k {
			t.Errorf("KindOf(New(%s)) = %q, %v; want %s", k, got, ok, k)
		}
		sum := sha256.Sum256([]byte(plain))
		if hash != hex.EncodeToString(sum[:]) || hash != Hash(plain) {
			t.Errorf("New(%s) hash = %q; want hex SHA-256 of the whole token", k, hash)
		}
		body, err := encoding.DecodeString(plain[prefixLen:])
		if err != nil || len(body) != 32 {
			t.Errorf("New(%s) body decodes to %d bytes, %v; want 32 bytes", k, len(body), err)
		}
	}
}

func TestNewUnique(t *testing.T) {
	t.Parallel()
	seen := make(map[string]bool)
	for i := 0; i < 5000; i++ {
		plain, hash := New(Invite)
		if seen[plain] || seen[hash] {
			t.Fatalf("New(Invite) repeated a token after %d calls", i)
		}
		seen[plain], seen[hash] = true, true
	}
}

func TestNewPanicsOnUnknownKind(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Fatal("New(\"xx_\") did not panic")
		}
	}()
	New(Kind("xx_"))
}

func TestHashStable(t *testing.T) {
	t.Parallel()
	// printf 'lbi_abc' | sha256sum
	const want = "0c834edbddc717a7c8d5ff259fa3a58825f3b085c58f83a1fd4bc9b07c65ce53"
	if got := Hash("lbi_abc"); got != want {
		t.Fatalf("Hash(lbi_abc) = %q; want %q", got, want)
	}
	if Hash("lbi_abc") == Hash("lbj_abc") {
		t.Fatal("Hash ignores the prefix")
	}
}

func TestLooksRejectsJunk(t *testing.T) {
	t.Parallel()
	good, _ := New(Invite)
	body := good[prefixLen:]
	junk := map[string]string{
		"empty":          "",
		"prefix only":    "lbi_",
		"other kind":     string(Join) + body,
		"upper case":     "lbi_" + strings.ToUpper(body),
		"upper prefix":   "LBI_" + body,
		"one short":      good[:Len-1],
		"one long":       good + "a",
		"bad alphabet 1": "lbi_" + body[:10] + "1" + body[11:],
		"bad alphabet 8": "lbi_" + body[:10] + "8" + body[11:],
		"padding":        "lbi_" + body[:bodyLen-1] + "=",
		"non-canonical":  "lbi_" + body[:bodyLen-1] + "b",
		"sql":            "lbi_' OR 1=1 --" + strings.Repeat("a", bodyLen-11),
		"space":          "lbi_" + body[:bodyLen-1] + " ",
		"unicode":        "lbi_" + body[:bodyLen-2] + "é",
		"newline":        "lbi_" + body[:bodyLen-1] + "\n",
	}
	for name, s := range junk {
		if Looks(s, Invite) {
			t.Errorf("Looks(%s %q, Invite) = true; want false", name, s)
		}
	}
	if Looks(good, Kind("lbi")) || Looks(good, Join) {
		t.Error("Looks accepted a token for the wrong or an unknown kind")
	}
	if _, ok := KindOf("lbz_" + body); ok {
		t.Error("KindOf accepted an unknown prefix")
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	inv, _ := New(Invite)
	api, _ := New(API)
	tests := []struct{ in, want string }{
		{"GET /invite/" + inv + "?x=1", "GET /invite/lbi_…?x=1"},
		{"Authorization: Bearer " + api, "Authorization: Bearer lba_…"},
		{"a " + inv + " b " + api, "a lbi_… b lba_…"},
		{"truncated lbi_abc", "truncated lbi_…"},
		{"junk lbr_ABC-def_9", "junk lbr_…"},
		{"nothing here /invite/", "nothing here /invite/"},
		{"lbi_ alone", "lbi_ alone"},
		{"", ""},
	}
	for _, k := range Kinds() {
		p, _ := New(k)
		tests = append(tests, struct{ in, want string }{"/x/" + p, "/x/" + string(k) + "…"})
	}
	for _, tt := range tests {
		got := Redact(tt.in)
		if got != tt.want {
			t.Errorf("Redact(%q) = %q; want %q", tt.in, got, tt.want)
		}
		if strings.Contains(got, inv[prefixLen:prefixLen+8]) || strings.Contains(got, api[prefixLen:prefixLen+8]) {
			t.Errorf("Redact(%q) = %q still holds part of a token", tt.in, got)
		}
	}
}
