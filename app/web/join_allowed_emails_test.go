package web_test

import (
	"testing"

	"github.com/lobby/lobby/app/org"
)

// TestJoinSingleAllowedAddress: an address listed on its own may join though its domain is not
// allowed; another address at the same domain is refused with the same words as any stranger,
// and gets no email.
func TestJoinSingleAllowedAddress(t *testing.T) {
	s := newSite(t)
	path := s.openJoin(func(p *org.SettingsPatch) { p.JoinAllowedEmails = &[]string{"vip@partner.test"} })
	b := s.browser()
	b.get(path)
	p := b.post(path, "email", "vip@partner.test")
	if p.status != 200 {
		t.Fatalf("the listed address: %d", p.status)
	}
	p.mustContain(t, "Check your inbox", "vip@partner.test")
	if n := s.count(`SELECT count(*) FROM outbox WHERE template = 'join_confirm' AND to_addr = 'vip@partner.test'`); n != 1 {
		t.Fatalf("confirmation emails to the listed address: %d", n)
	}
	p = b.post(path, "email", "other@partner.test")
	if p.status != 403 {
		t.Fatalf("another address at the same domain: %d", p.status)
	}
	p.mustContain(t, "This address cannot join Acme; ask an admin for an invitation.")
	if n := s.count(`SELECT count(*) FROM outbox WHERE to_addr = 'other@partner.test'`); n != 0 {
		t.Fatalf("the refused address got %d emails", n)
	}
}
