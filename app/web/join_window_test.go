package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lobby/lobby/app/org"
)

// TestJoinEndDatePassed: once the join page's end date has passed, the page says the link is not
// active, and a confirmation link mailed before the end date no longer lets anyone in.
func TestJoinEndDatePassed(t *testing.T) {
	s := newSite(t)
	ends := s.clock.Now().Add(time.Hour)
	path := s.openJoin(func(p *org.SettingsPatch) { p.JoinEndsAtSet, p.JoinEndsAt = true, &ends })
	b := s.browser()
	b.get(path).mustContain(t, "Join Acme", "Your email")
	if p := b.post(path, "email", "late@example.com"); p.status != 200 {
		t.Fatalf("asking before the end date: %d", p.status)
	}
	link := s.joinLink("late@example.com")

	// The end date passes before the person follows the link.
	s.clock.Add(time.Hour + time.Second)
	p := s.browser().get(path)
	if p.status != 404 {
		t.Fatalf("join page after its end date: %d", p.status)
	}
	p.mustContain(t, "This join link is not active")
	if strings.Contains(p.body, "Your email") {
		t.Fatal("the join page still offers its form after the end date")
	}
	c := s.browser()
	shown := c.get(link)
	if shown.status != 410 {
		t.Fatalf("confirmation page after the end date: %d", shown.status)
	}
	shown.mustContain(t, "This link can't be used", "The join link of Acme is no longer active.")
	done := c.post(link, "step", "signup", "name", "Late", "password", "a long password!")
	if done.status != 410 {
		t.Fatalf("confirming after the end date: %d %s", done.status, done.location)
	}
	done.mustContain(t, "The join link of Acme is no longer active.")
	if n := s.count(`SELECT count(*) FROM users WHERE email_norm = 'late@example.com'`); n != 0 {
		t.Fatal("an account was made after the end date")
	}
	if n := s.count(`SELECT count(*) FROM memberships WHERE source = 'join'`); n != 0 {
		t.Fatal("someone joined after the end date")
	}
}

// TestJoinEndDateAlreadyPastWhenSet: an end date set in the past closes the page at once.
func TestJoinEndDateAlreadyPastWhenSet(t *testing.T) {
	s := newSite(t)
	ended := s.clock.Now().Add(-time.Minute)
	path := s.openJoin()
	if _, err := s.svc.UpdateSettings(context.Background(), s.admin, org.SettingsPatch{JoinEndsAtSet: true, JoinEndsAt: &ended}); err != nil {
		t.Fatal(err)
	}
	b := s.browser()
	p := b.get(path)
	if p.status != 404 {
		t.Fatalf("join page with an end date in the past: %d", p.status)
	}
	p.mustContain(t, "This join link is not active")
	if p := b.post(path, "email", "ann@example.com"); p.status != 404 {
		t.Fatalf("asking on a closed page: %d", p.status)
	}
	if n := s.count(`SELECT count(*) FROM outbox WHERE to_addr = 'ann@example.com'`); n != 0 {
		t.Fatal("a closed page sent a confirmation")
	}
}

// TestJoinConfirmationLinkExpiresAfterADay: the confirmation link works for 24 hours; one second
// later it says it has expired and nothing is created.
func TestJoinConfirmationLinkExpiresAfterADay(t *testing.T) {
	s := newSite(t)
	path := s.openJoin()
	b := s.browser()
	b.get(path)
	b.post(path, "email", "slow@example.com")
	link := s.joinLink("slow@example.com")
	s.clock.Add(24*time.Hour - time.Second)
	if p := s.browser().get(link); p.status != 200 {
		t.Fatalf("link a second before its day is out: %d", p.status)
	}
	s.clock.Add(2 * time.Second)
	c := s.browser()
	p := c.get(link)
	if p.status != 410 {
		t.Fatalf("link after a day: %d", p.status)
	}
	p.mustContain(t, "This link can't be used", "This confirmation link has expired or was already used; ask for a new one on the join page.")
	p = c.post(link, "step", "signup", "name", "Slow", "password", "a long password!")
	if p.status != 410 {
		t.Fatalf("confirming after a day: %d %s", p.status, p.location)
	}
	p.mustContain(t, "has expired")
	if n := s.count(`SELECT count(*) FROM users WHERE email_norm = 'slow@example.com'`); n != 0 {
		t.Fatal("an expired link made an account")
	}
	if n := s.count(`SELECT count(*) FROM memberships WHERE source = 'join'`); n != 0 {
		t.Fatal("an expired link made a member")
	}
}
