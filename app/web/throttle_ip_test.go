package web_test

import (
	"fmt"
	"strings"
	"testing"
)

// Failed sign-ins from one IP are limited across addresses, not only per address: someone
// trying one password on many accounts is stopped, even before a right password. Another IP
// is not.
func TestFailedLoginsFromOneIPAcrossAddressesAreThrottled(t *testing.T) {
	s := newSite(t)
	s.member("lee@example.com", "lee's long password")
	b := s.browser()
	b.get("/login")
	for i := range 50 { // ipLoginLimit; each address fails once, far below its own limit
		if p := b.post("/login", "email", fmt.Sprintf("guess%d@example.com", i), "password", "Summer2026!"); p.status != 401 {
			t.Fatalf("failure %d: %d", i+1, p.status)
		}
	}
	p := b.post("/login", "email", "lee@example.com", "password", "lee's long password")
	if p.status != 429 {
		t.Fatalf("a right password from the IP after 50 failures on other addresses: %d", p.status)
	}
	p.mustContain(t, "Too many failed sign-ins")
	o := s.browser()
	o.headers["X-Test-Client-IP"] = "198.51.100.7"
	o.get("/login")
	if p := o.post("/login", "email", "lee@example.com", "password", "lee's long password"); p.status != 303 {
		t.Fatalf("lee from another IP: %d", p.status)
	}
}

// Join requests from one IP are limited across addresses: a bot cannot mail a confirmation
// to every address on the whitelisted domain. Another IP is not stopped.
func TestJoinRequestsFromOneIPAcrossAddressesAreThrottled(t *testing.T) {
	s := newSite(t)
	path := s.openJoin()
	b := s.browser()
	b.get(path)
	for i := range 20 { // the join-ip limit per hour; each address asks once
		if p := b.post(path, "email", fmt.Sprintf("person%d@example.com", i)); p.status != 200 {
			t.Fatalf("request %d: %d", i+1, p.status)
		}
	}
	if p := b.post(path, "email", "one-more@example.com"); p.status != 429 {
		t.Fatalf("a 21st address from the same IP within the hour: %d", p.status)
	}
	if n := s.count(`SELECT count(*) FROM outbox WHERE to_addr = 'one-more@example.com'`); n != 0 {
		t.Fatal("the throttled request was mailed")
	}
	o := s.browser()
	o.headers["X-Test-Client-IP"] = "198.51.100.7"
	o.get(path)
	if p := o.post(path, "email", "one-more@example.com"); p.status != 200 || !strings.Contains(p.body, "Check your inbox") {
		t.Fatalf("another IP: %d", p.status)
	}
}
