package web_test

import (
	"context"
	"strings"
	"testing"
)

// Someone whose role may only invite (a custom role with invitations:manage and nothing else)
// can use what that permission is for: the invite form, with its roles to choose from, and a
// CSV import's preview, which names each row's role.
func TestConsoleForSomeoneWhoMayOnlyInvite(t *testing.T) {
	s := newSite(t)
	if _, err := s.svc.CreateRole(context.Background(), s.admin, "inviter", "Inviter", []string{"invitations:manage"}); err != nil {
		t.Fatal(err)
	}
	b := s.signedIn("ivy@acme.test", "inviter")
	form := b.get("/console/acme/invite")
	if form.status != 200 {
		t.Fatalf("the invite form: %d", form.status)
	}
	form.mustContain(t, `<option value="member"`)
	p := b.upload("/console/acme/imports", "file", "people.csv", "email,name,role\r\nann@example.com,Ann,\r\nbo@example.com,Bo,member\r\n")
	if p.status != 303 || !strings.Contains(p.location, "/console/acme/imports/") {
		t.Fatalf("upload: %d %q", p.status, p.location)
	}
	prev := b.get(p.location)
	if prev.status != 200 {
		t.Fatalf("the preview: %d %q", prev.status, prev.location)
	}
	prev.mustContain(t, `data-label="Role">Member (default)<`, `data-label="Role">Member<`)
	s.signedIn("ada@acme.test", "admin").get("/console/acme/roles").mustContain(t, "See people, Invite people")
}
