package api_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lobby/lobby/app/org"
)

// With one invitation in each status the API lists, each status= filter of the invitations
// list returns exactly that one, shown with that status; a status the API does not know is
// refused with invalid_request rather than answered with everything.
func TestAPIInvitationListEachStatusFilter(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	invite := func(email, ttl string) map[string]any {
		t.Helper()
		if s, b := e.call("PATCH", "/api/v1/settings", `{"invite_ttl":"`+ttl+`"}`); s != 200 {
			t.Fatalf("ttl: %d %v", s, b)
		}
		s, b := e.call("POST", "/api/v1/invitations", `{"emails":["`+email+`"],"notify":false}`)
		if s != 201 || len(b["created"].([]any)) != 1 {
			t.Fatalf("invite %s: %d %v", email, s, b)
		}
		return b["created"].([]any)[0].(map[string]any)
	}

	// Expired: an hour's invitation, two hours ago, swept by the expire job.
	invite("expired@x.test", "1h")
	e.now = e.now.Add(2 * time.Hour)
	if _, err := e.svc.ExpireDue(ctx); err != nil {
		t.Fatal(err)
	}
	invite("pending@x.test", "48h")
	// Accepted: the invited person makes an account from the link.
	acc := invite("accepted@x.test", "48h")
	plain := strings.TrimPrefix(acc["accept_url"].(string), "https://lobby.example/invite/")
	if _, err := e.svc.AcceptNewAccount(ctx, plain, org.SignUp{Name: "Acc"}); err != nil {
		t.Fatalf("accept: %v", err)
	}
	// Revoked: through the API.
	rev := invite("revoked@x.test", "48h")
	if s, b := e.call("POST", "/api/v1/invitations/"+rev["id"].(string)+"/revoke", ""); s != 200 {
		t.Fatalf("revoke: %d %v", s, b)
	}
	// Requested: a request to join, with approval on, confirmed by the person.
	on, slug, domains := true, "acme-join", []string{"example.com"}
	admin := org.SystemActor("cli", "t", e.orgID)
	if _, err := e.svc.UpdateSettings(ctx, admin, org.SettingsPatch{JoinEnabled: &on, JoinApproval: &on, JoinSlug: &slug,
		JoinAllowedDomains: &domains}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.RequestJoin(ctx, slug, "requested@example.com"); err != nil {
		t.Fatal(err)
	}
	link := regexp.MustCompile(`/join/confirm/(lbj_[a-z0-9]+)`).FindStringSubmatch(e.lastMail(t, "requested@example.com"))
	if link == nil {
		t.Fatal("no confirmation link in the join email")
	}
	if j, err := e.svc.ConfirmJoin(ctx, link[1], "", &org.SignUp{Name: "Req"}); err != nil || !j.Requested {
		t.Fatalf("confirm join: %+v %v", j, err)
	}

	statuses := []string{"pending", "accepted", "expired", "revoked", "requested"}
	for _, status := range statuses {
		items, next := e.getPage("/api/v1/invitations?status=" + status)
		want := status + "@x.test"
		if status == "requested" {
			want = "requested@example.com"
		}
		var got []string
		for _, it := range items {
			inv := it.(map[string]any)
			got = append(got, fmt.Sprintf("%s (%s)", inv["email"], inv["status"]))
		}
		if fmt.Sprint(got) != fmt.Sprintf("[%s (%s)]", want, status) || next != "" {
			t.Errorf("status=%s lists %v (next %q); want only %s", status, got, next, want)
		}
	}
	// Without a filter all five are listed.
	if items, _ := e.getPage("/api/v1/invitations"); len(items) != len(statuses) {
		t.Errorf("no filter lists %d invitations; want %d", len(items), len(statuses))
	}
	// A status the API does not list is refused, naming the parameter.
	for _, bad := range []string{"bogus", "Pending", "declined", "pending,revoked"} {
		s, b := e.call("GET", "/api/v1/invitations?status="+bad, "")
		detail, _ := b["error"].(map[string]any)
		field, _ := detail["field"].(string)
		if s != 400 || errCode(b) != "invalid_request" || field != "status" {
			t.Errorf("status=%s: %d, error %v; want 400 invalid_request on status", bad, s, b["error"])
		}
	}
}
