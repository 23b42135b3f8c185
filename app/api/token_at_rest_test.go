package api_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/auth/token"
)

// An API token is stored only as the hex SHA-256 of the whole token: its row in api_tokens
// holds neither the token nor its secret part in any column, and the audit log of its making
// does not either. The token still works on the API.
func TestAPITokenIsStoredOnlyAsItsHash(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tok, err := e.svc.CreateToken(ctx, org.SystemActor("cli", "t", e.orgID), "api", "at-rest")
	if err != nil {
		t.Fatal(err)
	}
	plain := tok.Plain
	if !token.Looks(plain, token.API) {
		t.Fatalf("the token %q does not look like an API token", plain)
	}
	secret := strings.TrimPrefix(plain, string(token.API))
	sum := sha256.Sum256([]byte(plain))
	wantHash := hex.EncodeToString(sum[:])
	if token.Hash(plain) != wantHash {
		t.Fatalf("token.Hash is not the hex SHA-256 of the token")
	}

	rows, err := e.db.R.QueryContext(ctx, `SELECT * FROM api_tokens WHERE id = ?`, tok.Token.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		n++
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			s := fmt.Sprint(v)
			if b, ok := v.([]byte); ok {
				s = string(b)
			}
			if strings.Contains(s, secret) {
				t.Errorf("column %s holds the token in plain text: %q", cols[i], s)
			}
			if cols[i] == "token_hash" && s != wantHash {
				t.Errorf("token_hash is %q; want the hex SHA-256 of the token, %q", s, wantHash)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("%d rows for the token in api_tokens; want 1", n)
	}
	if e.count(`SELECT count(*) FROM api_tokens WHERE token_hash = ?`, plain) != 0 {
		t.Fatal("a token row is keyed by the plain token")
	}
	if e.count(`SELECT count(*) FROM audit_log WHERE instr(details, ?) > 0 OR instr(target_id, ?) > 0`, secret, secret) != 0 {
		t.Fatal("the audit log holds the plain token")
	}

	// The stored hash is what the API looks the token up by: it works.
	if s, b := e.callAs(plain, "GET", "/api/v1/teams", ""); s != 200 {
		t.Fatalf("the new token on the API: %d %v", s, b)
	}
}
