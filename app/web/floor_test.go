package web_test

import (
	"testing"
	"time"
)

// timedPost posts a form and says how long the whole answer took.
func (b *browser) timedPost(path string, fields ...string) (page, time.Duration) {
	b.s.t.Helper()
	start := time.Now()
	p := b.post(path, fields...)
	return p, time.Since(start)
}

// A reset request answers no sooner than resetFloor (400 ms), so the time does not tell an
// unknown address from one whose reset mail was queued.
func TestResetAnswersNoSoonerThanTheFloor(t *testing.T) {
	s := newSite(t)
	s.member("ana@example.com", "ana's long password")
	b := s.browser()
	b.get("/reset")
	for _, e := range []string{"ghost@example.com", "ana@example.com"} {
		p, took := b.timedPost("/reset", "email", e)
		if p.status != 200 {
			t.Fatalf("%s: %d", e, p.status)
		}
		if took < 400*time.Millisecond {
			t.Errorf("reset for %s answered in %v; want at least 400ms", e, took)
		}
	}
}

// A join request answers no sooner than joinFloor (300 ms) whatever becomes of it: a new
// address, an existing member's, one the whitelist refuses, or a bot's.
func TestJoinAnswersNoSoonerThanTheFloor(t *testing.T) {
	s := newSite(t)
	s.member("kim@example.com", "kim's long password")
	path := s.openJoin()
	b := s.browser()
	b.get(path)
	for _, tc := range []struct {
		name   string
		fields []string
	}{
		{"an unknown address", []string{"email", "newcomer@example.com"}},
		{"a member's address", []string{"email", "kim@example.com"}},
		{"an address the whitelist refuses", []string{"email", "mallory@evil.test"}},
		{"a bot filling the honeypot", []string{"email", "bot@example.com", "website", "http://spam"}},
	} {
		p, took := b.timedPost(path, tc.fields...)
		if p.status != 200 && p.status != 403 {
			t.Fatalf("%s: %d", tc.name, p.status)
		}
		if took < 300*time.Millisecond {
			t.Errorf("join for %s answered in %v; want at least 300ms", tc.name, took)
		}
	}
}
