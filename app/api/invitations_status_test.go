package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// The status filter of the invitations list and export agrees with the status they show: an
// invitation past its expiry that the expire job has not swept yet is expired, not pending.
func TestAPIInvitationStatusFilterMatchesShownStatus(t *testing.T) {
	e := newEnv(t)
	invite := func(email, ttl string) {
		t.Helper()
		if s, b := e.call("PATCH", "/api/v1/settings", `{"invite_ttl":"`+ttl+`"}`); s != 200 {
			t.Fatalf("ttl: %d %v", s, b)
		}
		if s, b := e.call("POST", "/api/v1/invitations", `{"emails":["`+email+`"],"notify":false}`); s != 201 {
			t.Fatalf("invite %s: %d %v", email, s, b)
		}
	}
	// swept@ expires and the job sweeps it; due@ expires but is not swept yet; live@ has time.
	invite("swept@x.test", "1h")
	e.now = e.now.Add(2 * time.Hour)
	if _, err := e.svc.ExpireDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	invite("due@x.test", "1h")
	invite("live@x.test", "48h")
	e.now = e.now.Add(2 * time.Hour)

	shown := map[string]string{"live@x.test": "pending", "due@x.test": "expired", "swept@x.test": "expired"}
	for _, tc := range []struct {
		status string
		want   []string // newest first
	}{
		{"pending", []string{"live@x.test"}},
		{"expired", []string{"due@x.test", "swept@x.test"}},
		{"", []string{"live@x.test", "due@x.test", "swept@x.test"}},
	} {
		items, next := e.getPage("/api/v1/invitations?status=" + tc.status)
		var got []string
		for _, it := range items {
			inv := it.(map[string]any)
			got = append(got, inv["email"].(string))
			if inv["status"] != shown[inv["email"].(string)] {
				t.Errorf("status=%s: %s is shown %v", tc.status, inv["email"], inv["status"])
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) || next != "" {
			t.Errorf("status=%s lists %v (next %q); want %v", tc.status, got, next, tc.want)
		}
		if tc.status == "" {
			continue
		}
		s, _, body := e.raw("GET", "/api/v1/export/invitations.csv?status="+tc.status, "", nil)
		rows := csvRows(t, body)
		var exported []string
		for _, r := range rows[1:] {
			exported = append(exported, r[0]+" "+r[4])
		}
		wantRows := make([]string, len(tc.want))
		for i, w := range tc.want {
			wantRows[i] = w + " " + tc.status
		}
		if s != 200 || strings.Join(exported, ",") != strings.Join(wantRows, ",") {
			t.Errorf("export status=%s: %d %v; want %v", tc.status, s, exported, wantRows)
		}
	}
	// Expired ones page like any list across both kinds.
	first, next := e.getPage("/api/v1/invitations?status=expired&limit=1")
	if len(first) != 1 || first[0].(map[string]any)["email"] != "due@x.test" || next == "" {
		t.Fatalf("first page of expired: %v next %q", first, next)
	}
	rest, last := e.getPage("/api/v1/invitations?status=expired&limit=1&cursor=" + next)
	if len(rest) != 1 || rest[0].(map[string]any)["email"] != "swept@x.test" || last != "" {
		t.Fatalf("second page of expired: %v next %q", rest, last)
	}
}
