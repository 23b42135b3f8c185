package api_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// POST /invitations with dry_run answers per address what would happen (new, already a
// member, already invited, refused by the seat limit, invalid) and creates, sends and records
// nothing; the same request without dry_run then does what the preview said.
func TestAPIInvitePreview(t *testing.T) {
	e := newEnv(t)
	admin := org.SystemActor("cli", "t", e.orgID)
	if _, err := e.svc.AddMember(context.Background(), admin, org.NewMember{Email: "mem@x.test"}); err != nil {
		t.Fatal(err)
	}
	if s, b := e.call("POST", "/api/v1/invitations", `{"emails":["inv@x.test"],"notify":false}`); s != 201 {
		t.Fatalf("invite: %d %v", s, b)
	}
	_, set := e.call("GET", "/api/v1/settings", "")
	if s, b := e.call("PATCH", "/api/v1/settings", fmt.Sprintf(`{"seat_limit":%v}`, set["seats_used"].(float64)+1)); s != 200 {
		t.Fatalf("seat limit: %d %v", s, b)
	}
	count := func() string {
		return fmt.Sprint(e.count(`SELECT count(*) FROM invitations`), e.count(`SELECT count(*) FROM outbox`), e.count(`SELECT count(*) FROM audit_log`))
	}
	before := count()
	body := `{"emails":["new1@x.test","new2@x.test","mem@x.test","inv@x.test","bad@"],"notify":true`
	s, b := e.call("POST", "/api/v1/invitations", body+`,"dry_run":true}`)
	if s != 200 || b["dry_run"] != true {
		t.Fatalf("preview: %d %v", s, b)
	}
	got := map[string]string{}
	for _, o := range b["outcomes"].([]any) {
		o := o.(map[string]any)
		got[o["email"].(string)] = o["outcome"].(string)
	}
	want := map[string]string{"new1@x.test": "new", "new2@x.test": "seat_limit_reached", "mem@x.test": "already_member",
		"inv@x.test": "already_invited", "bad@": "invalid_email"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("outcomes %v; want %v", got, want)
	}
	if c := b["counts"].(map[string]any); c["new"] != 1.0 || c["seat_limit_reached"] != 1.0 || len(c) != 5 {
		t.Fatalf("counts %v", c)
	}
	if after := count(); after != before {
		t.Fatalf("the preview changed invitations, outbox, audit from %s to %s", before, after)
	}
	if s, b := e.call("POST", "/api/v1/invitations", `{"emails":["x@x.test"],"role":"wizard","dry_run":true}`); s != 422 || errCode(b) != "unknown_role" {
		t.Fatalf("a preview with an unknown role: %d %v", s, b)
	}
	// The real thing does what the preview said.
	s, b = e.call("POST", "/api/v1/invitations", body+`}`)
	if created := b["created"].([]any); s != 201 || len(created) != 2 || len(b["errors"].([]any)) != 3 {
		t.Fatalf("invite: %d %v", s, b)
	}
}
