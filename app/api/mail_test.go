package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/token"
)

// The outbox lists every email with its status, filtered by status and paged; one email is
// read with what the console shows of it, never its link's token, even while it is queued with
// it; a failed email is queued again (or, when its link was taken out, goes as a new email
// with a new link), and one that has not failed is refused with conflict.
func TestAPIMail(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if s, b := e.call("POST", "/api/v1/invitations", `{"emails":["ann@x.test","bob@x.test"],"notify":true}`); s != 201 {
		t.Fatalf("invite: %d %v", s, b)
	}
	var notice string
	err := e.db.Tx(ctx, func(q store.Q) (err error) {
		notice, err = store.EnqueueMail(ctx, q, store.OutboxMail{OrgID: e.orgID, Template: "accepted_notice", To: "boss@x.test",
			Data: []byte(`{"OrgName":"Acme"}`)}, e.now.UnixMilli())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	s, _, raw := e.raw("GET", "/api/v1/mail?status=queued", "", nil)
	all := decodeJSON(t, raw)["items"].([]any)
	if s != 200 || len(all) != 3 || strings.Contains(string(raw), "lbi_") {
		t.Fatalf("list: %d %s", s, raw)
	}
	if s, b := e.call("GET", "/api/v1/mail?status=bogus", ""); s != 400 || errCode(b) != "invalid_request" {
		t.Fatalf("an unknown status: %d %v, want 400 invalid_request", s, b)
	}
	first, next := e.getPage("/api/v1/mail?limit=2")
	rest, last := e.getPage("/api/v1/mail?limit=2&cursor=" + next)
	if len(first) != 2 || len(rest) != 1 || last != "" || first[0].(map[string]any)["id"] != notice {
		t.Fatalf("pages: %v then %v", first, rest)
	}
	var ann map[string]any
	for _, it := range all {
		if m := it.(map[string]any); m["to"] == "ann@x.test" {
			ann = m
		}
	}
	annID, _ := ann["id"].(string)
	if ann["to"] != "ann@x.test" || ann["template"] != "invite" || ann["status"] != "queued" {
		t.Fatalf("ann's email: %v", ann)
	}
	s, _, raw = e.raw("GET", "/api/v1/mail/"+annID, "", nil)
	if s != 200 || strings.Contains(string(raw), "lbi_") || strings.Contains(string(raw), "data") || decodeJSON(t, raw)["to"] != "ann@x.test" {
		t.Fatalf("one queued email: %d %s", s, raw)
	}
	if s, b := e.call("POST", "/api/v1/mail/"+annID+"/retry", ""); s != 409 || errCode(b) != "conflict" {
		t.Fatalf("retry of a queued email: %d %v", s, b)
	}

	// The sender gives up on two: it takes their links' tokens out, as it does.
	for _, id := range []string{annID, notice} {
		m, err := e.db.GetMail(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.db.MarkMailFailed(ctx, id, "550 no such user", []byte(token.Redact(string(m.Data))), e.now.UnixMilli()); err != nil {
			t.Fatal(err)
		}
	}
	failed, _ := e.getPage("/api/v1/mail?status=failed")
	if len(failed) != 2 || failed[0].(map[string]any)["last_error"] != "550 no such user" {
		t.Fatalf("failed: %v", failed)
	}
	if s, _ := e.call("POST", "/api/v1/mail/"+notice+"/retry", ""); s != 204 {
		t.Fatalf("retry the notice: %d", s)
	}
	if s, b := e.call("GET", "/api/v1/mail/"+notice, ""); s != 200 || b["status"] != "queued" || b["attempts"] != 0.0 {
		t.Fatalf("the notice after retry: %d %v", s, b)
	}
	if s, _ := e.call("POST", "/api/v1/mail/"+annID+"/retry", ""); s != 204 {
		t.Fatalf("retry ann's invitation: %d", s)
	}
	queued, _ := e.getPage("/api/v1/mail?status=queued")
	if len(queued) != 3 || queued[0].(map[string]any)["to"] != "ann@x.test" || queued[0].(map[string]any)["id"] == annID {
		t.Fatalf("ann's invitation did not go again as a new email: %v", queued)
	}
	if s, b := e.call("POST", "/api/v1/mail/"+annID+"/retry", ""); s != 409 || errCode(b) != "conflict" {
		t.Fatalf("retry of the replaced email: %d %v", s, b)
	}
	if s, b := e.call("GET", "/api/v1/mail/00000000-0000-7000-8000-000000000000", ""); s != 404 || errCode(b) != "not_found" {
		t.Fatalf("an unknown email: %d %v", s, b)
	}
	if _, b := e.call("GET", "/api/v1/audit?action=mail.retried", ""); len(b["items"].([]any)) != 1 {
		t.Fatalf("audit: %v", b)
	}
}
