package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// bulk posts the People page's bulk form with these rows selected, and more fields in pairs.
func (b *browser) bulk(sel []string, fields ...string) page {
	b.s.t.Helper()
	f := url.Values{"_csrf": {b.cookies["lobby_csrf"]}, "sel": sel}
	for i := 0; i+1 < len(fields); i += 2 {
		f.Set(fields[i], fields[i+1])
	}
	return b.do("POST", "/console/acme/people/bulk", f)
}

// follow opens where a redirect leads and returns that page's text.
func (b *browser) follow(p page) string {
	b.s.t.Helper()
	if p.status != 303 {
		b.s.t.Fatalf("expected a redirect, got %d:\n%s", p.status, p.body)
	}
	return b.get(p.location).text()
}

// bulkPeople makes two invitations (Ann Lee, bo@example.com) and a member, Carl Long, and
// returns their bulk bar values.
func bulkPeople(t *testing.T, s *site) (ann, bo, carl string) {
	res, err := s.svc.Invite(context.Background(), s.owner, org.InviteRequest{Emails: []string{"ann@example.com", "bo@example.com"}, Names: []string{"Ann Lee", ""}})
	if err != nil || len(res.Created) != 2 {
		t.Fatalf("invite: %v %+v", err, res)
	}
	m, err := s.svc.AddMember(context.Background(), s.admin, org.NewMember{Email: "carl@example.com", Name: "Carl Long"})
	if err != nil {
		t.Fatal(err)
	}
	return "invitation:" + res.Created[0].Invitation.ID, "invitation:" + res.Created[1].Invitation.ID, "member:" + m.ID
}

// TestConsoleBulkNeedsAChosenAction: the bulk bar starts on "Choose an action…", and Apply
// without one says so and changes nothing.
func TestConsoleBulkNeedsAChosenAction(t *testing.T) {
	s := newSite(t)
	ann, _, _ := bulkPeople(t, s)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	a.get("/console/acme").mustContain(t, `<option value="" selected>Choose an action…</option>`)
	text := a.follow(a.bulk([]string{ann}, "action", ""))
	if !strings.Contains(text, "Choose an action for the selected people first. Nothing was changed.") {
		t.Fatalf("Apply without an action:\n%s", text)
	}
	if n := s.count(`SELECT count(*) FROM invitations WHERE status = 'pending'`); n != 2 {
		t.Fatalf("%d invitations pending after Apply without an action", n)
	}
	if n := s.count(`SELECT count(*) FROM outbox`); n != 0 {
		t.Fatalf("%d emails queued after Apply without an action", n)
	}
}

// TestConsoleBulkRevokeAsksFirst: revoking asks with a page that names what happens and to
// whom, changes nothing until confirmed, and the result names who was left alone and why.
func TestConsoleBulkRevokeAsksFirst(t *testing.T) {
	s := newSite(t)
	ann, bo, carl := bulkPeople(t, s)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	a.get("/console/acme")
	p := a.bulk([]string{ann, bo, carl}, "action", "revoke")
	if p.status != 200 {
		t.Fatalf("revoke asked nothing: %d %q", p.status, p.location)
	}
	text := p.text()
	for _, want := range []string{"Revoke 2 invitations?", "Their links stop working at once.", "Ann Lee", "bo@example.com",
		"Left as they are: Carl Long is a member. Revoke works on invitations only.", "Revoke 2 invitations Cancel"} {
		if !strings.Contains(text, want) {
			t.Errorf("the question lacks %q:\n%s", want, text)
		}
	}
	if n := s.count(`SELECT count(*) FROM invitations WHERE status = 'pending'`); n != 2 {
		t.Fatalf("asking revoked %d invitations", 2-n)
	}
	text = a.follow(a.bulk([]string{ann, bo, carl}, "action", "revoke", "confirmed", "1"))
	if want := "Revoked 2 invitations. Not for the others: Carl Long is a member. Revoke works on invitations only."; !strings.Contains(text, want) {
		t.Fatalf("the result lacks %q:\n%s", want, text)
	}
	if n := s.count(`SELECT count(*) FROM invitations WHERE status = 'revoked'`); n != 2 {
		t.Fatalf("%d invitations revoked", n)
	}
	// Again: each refusal names who and why.
	text = a.follow(a.bulk([]string{ann, bo}, "action", "revoke", "confirmed", "1"))
	if !strings.Contains(text, "Nothing was revoked: Ann Lee and bo@example.com: ") {
		t.Fatalf("revoking revoked invitations:\n%s", text)
	}
}

// TestConsoleBulkSaysWhoDidNotFit: an action that fits none of the selected rows runs nothing,
// asks nothing, and says who did not fit and why.
func TestConsoleBulkSaysWhoDidNotFit(t *testing.T) {
	s := newSite(t)
	ann, _, carl := bulkPeople(t, s)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	a.get("/console/acme")
	text := a.follow(a.bulk([]string{carl}, "action", "resend"))
	if want := "Nothing was resent: Carl Long is a member. Resend works on invitations only."; !strings.Contains(text, want) {
		t.Fatalf("the result lacks %q:\n%s", want, text)
	}
	text = a.follow(a.bulk([]string{ann}, "action", "deactivate"))
	if want := "Nobody was deactivated: Ann Lee has an invitation, not a membership. Deactivate works on members only."; !strings.Contains(text, want) {
		t.Fatalf("the result lacks %q:\n%s", want, text)
	}
	// Rows deleted since the page was shown (or made up) are counted apart, not called members.
	text = a.follow(a.bulk([]string{"member:gone", "nonsense", carl}, "action", "revoke"))
	if want := "Nothing was revoked: Carl Long is a member. Revoke works on invitations only. 2 selected rows are no longer there."; !strings.Contains(text, want) {
		t.Fatalf("the result lacks %q:\n%s", want, text)
	}
}

// TestConsoleBulkDeactivateAndResendAskFirst: deactivating and resending ask too, and run
// once confirmed.
func TestConsoleBulkDeactivateAndResendAskFirst(t *testing.T) {
	s := newSite(t)
	ann, bo, carl := bulkPeople(t, s)
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	a.get("/console/acme")
	p := a.bulk([]string{carl}, "action", "deactivate")
	if text := p.text(); p.status != 200 || !strings.Contains(text, "Deactivate 1 member?") || !strings.Contains(text, "They can no longer use Acme") {
		t.Fatalf("deactivate asked (%d):\n%s", p.status, text)
	}
	if n := s.count(`SELECT count(*) FROM memberships WHERE status = 'deactivated'`); n != 0 {
		t.Fatal("asking deactivated Carl")
	}
	if text := a.follow(a.bulk([]string{carl}, "action", "deactivate", "confirmed", "1")); !strings.Contains(text, "Deactivated 1 member.") {
		t.Fatalf("deactivate:\n%s", text)
	}
	p = a.bulk([]string{ann, bo}, "action", "resend")
	if text := p.text(); p.status != 200 || !strings.Contains(text, "Resend 2 invitations?") || !strings.Contains(text, "links sent or copied before stop working") {
		t.Fatalf("resend asked (%d):\n%s", p.status, text)
	}
	if n := s.count(`SELECT count(*) FROM outbox`); n != 0 {
		t.Fatalf("asking queued %d emails", n)
	}
	if text := a.follow(a.bulk([]string{ann, bo}, "action", "resend", "confirmed", "1")); !strings.Contains(text, "Resent 2 invitations.") {
		t.Fatalf("resend:\n%s", text)
	}
	// Reactivating runs at once.
	if text := a.follow(a.bulk([]string{carl}, "action", "reactivate")); !strings.Contains(text, "Reactivated 1 member.") {
		t.Fatalf("reactivate:\n%s", text)
	}
}
