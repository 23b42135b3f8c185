package web_test

import (
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// TestAcceptedNoticeLeadsToTheNewMember: when someone accepts an invitation, the inviter's
// email has a button to that person's page in the console, and it opens there.
func TestAcceptedNoticeLeadsToTheNewMember(t *testing.T) {
	s := newSite(t)
	link := s.invite("ivy@example.com") // sent by Olga
	b := s.browser()
	b.get(link)
	if p := b.post(link, "step", "signup", "name", "Ivy", "password", "ivy's long password"); p.status != 303 {
		t.Fatalf("sign up: %d", p.status)
	}
	mails := s.mailsOf("accepted_notice")
	if len(mails) != 1 || mails[0].to != "olga@acme.test" {
		t.Fatalf("accepted notices: %+v", mails)
	}
	url := "http://lobby.test/console/acme/members/" + s.membershipOf("ivy@example.com")
	if m := mails[0]; !strings.Contains(m.text, "See them in the console:\n\n"+url+"\n") ||
		!strings.Contains(m.html, `<a href="`+url+`" style="display:inline-block;`) || !strings.Contains(m.html, ">See them in the console</a>") {
		t.Fatalf("the email:\n%s\n%s", m.text, m.html)
	}
	a := s.signedIn("ada@acme.test", org.RoleAdmin)
	a.get(strings.TrimPrefix(url, "http://lobby.test")).mustContain(t, "ivy@example.com", "Joined through")
}
