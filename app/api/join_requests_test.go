package api_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// Requests to join (the join page with approval on) are listed with ?status=requested and
// approved or declined through the API, as in the console.
func TestAPIJoinRequests(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	on, slug, domains := true, "acme-join", []string{"example.com"}
	admin := org.SystemActor("cli", "t", e.orgID)
	if _, err := e.svc.UpdateSettings(ctx, admin, org.SettingsPatch{JoinEnabled: &on, JoinApproval: &on, JoinSlug: &slug,
		JoinAllowedDomains: &domains}); err != nil {
		t.Fatal(err)
	}
	link := regexp.MustCompile(`/join/confirm/(lbj_[a-z0-9]+)`)
	for _, email := range []string{"ann@example.com", "bob@example.com"} {
		if err := e.svc.RequestJoin(ctx, slug, email); err != nil {
			t.Fatal(err)
		}
		hash, err := e.svc.HashPassword(ctx, "a long password!")
		if err != nil {
			t.Fatal(err)
		}
		plain := link.FindStringSubmatch(e.lastMail(t, email))
		if plain == nil {
			t.Fatalf("no confirmation link for %s", email)
		}
		if j, err := e.svc.ConfirmJoin(ctx, plain[1], "", &org.SignUp{Name: "P", PasswordHash: hash}); err != nil || !j.Requested {
			t.Fatalf("confirm %s: %+v %v", email, j, err)
		}
	}
	s, b := e.call("GET", "/api/v1/invitations?status=requested", "")
	items, _ := b["items"].([]any)
	if s != 200 || len(items) != 2 {
		t.Fatalf("requested: %d %v", s, b)
	}
	ids := map[string]string{}
	for _, it := range items {
		m := it.(map[string]any)
		ids[m["email"].(string)] = m["id"].(string)
	}
	if s, b := e.call("POST", "/api/v1/invitations/"+ids["ann@example.com"]+"/approve", ""); s != 200 || b["status"] != "accepted" {
		t.Fatalf("approve: %d %v", s, b)
	}
	if s, b := e.call("POST", "/api/v1/invitations/"+ids["bob@example.com"]+"/decline", ""); s != 200 || b["status"] != "revoked" {
		t.Fatalf("decline: %d %v", s, b)
	}
	if s, b := e.call("POST", "/api/v1/invitations/"+ids["bob@example.com"]+"/approve", ""); s != 404 {
		t.Fatalf("approving a decided request: %d %v", s, b)
	}
	if _, b := e.call("GET", "/api/v1/members?q=ann@example.com", ""); len(b["items"].([]any)) != 1 {
		t.Fatalf("the approved person is not a member: %v", b)
	}
}

// lastMail is the data of the newest email queued to an address.
func (e *env) lastMail(t *testing.T, to string) string {
	t.Helper()
	var data string
	if err := e.db.R.QueryRow(`SELECT data FROM outbox WHERE to_addr = ? ORDER BY id DESC LIMIT 1`, to).Scan(&data); err != nil {
		t.Fatalf("no email to %s: %v", to, err)
	}
	return data
}
