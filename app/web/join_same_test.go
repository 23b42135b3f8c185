package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// TestJoinAnswersTheSameForKnownAndUnknownAddresses: the join page's answer does not tell a
// stranger whether an address already belongs to a member; only the email that follows does.
func TestJoinAnswersTheSameForKnownAndUnknownAddresses(t *testing.T) {
	s := newSite(t)
	s.member("kim@example.com", "kim's long password")
	path := s.openJoin()
	ask := func(email string) page {
		b := s.browser()
		b.get(path)
		return b.post(path, "email", email)
	}
	known, unknown := ask("kim@example.com"), ask("newbie@example.com")
	if known.status != unknown.status {
		t.Fatalf("statuses %d vs %d", known.status, unknown.status)
	}
	strip := func(p page, email string) string {
		return csrfField.ReplaceAllString(strings.ReplaceAll(p.body, email, "EMAIL"), "")
	}
	if strip(known, "kim@example.com") != strip(unknown, "newbie@example.com") {
		t.Fatalf("the answers differ:\n%s\n---\n%s", known.body, unknown.body)
	}
	// The emails differ: the member is told they are in already, the newcomer gets a link.
	for to, template := range map[string]string{"kim@example.com": "join_member", "newbie@example.com": "join_confirm"} {
		if n := s.count(`SELECT count(*) FROM outbox WHERE to_addr = ? AND template = ?`, to, template); n != 1 {
			t.Errorf("%s: %d %s emails", to, n, template)
		}
	}
}

// TestFullJoinPageAnswersTheSameForInvitedAndStrangers: when the organization is full, an
// invited address and a stranger's get the same refusal, so the page tells nobody who is
// invited; with approval on, requests are still taken (a request holds no seat).
func TestFullJoinPageAnswersTheSameForInvitedAndStrangers(t *testing.T) {
	s := newSite(t)
	path := s.openJoin()
	s.invite("invited@example.com")
	used, _, err := s.svc.Seats(context.Background(), s.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.UpdateSettings(context.Background(), s.admin, org.SettingsPatch{SeatLimitSet: true, SeatLimit: &used}); err != nil {
		t.Fatal(err)
	}
	ask := func(email string) page {
		b := s.browser()
		b.get(path)
		return b.post(path, "email", email)
	}
	invited, stranger := ask("invited@example.com"), ask("stranger@example.com")
	strip := func(p page, email string) string {
		return csrfField.ReplaceAllString(strings.ReplaceAll(p.body, email, "EMAIL"), "")
	}
	if invited.status != 409 || invited.status != stranger.status || strip(invited, "invited@example.com") != strip(stranger, "stranger@example.com") {
		t.Fatalf("full: %d vs %d", invited.status, stranger.status)
	}
	on := true
	if _, err := s.svc.UpdateSettings(context.Background(), s.admin, org.SettingsPatch{JoinApproval: &on}); err != nil {
		t.Fatal(err)
	}
	if p := ask("asker@example.com"); p.status != 200 {
		t.Fatalf("a request with approval on while full: %d", p.status)
	}
}
