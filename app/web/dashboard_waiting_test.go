package web_test

import (
	"strings"
	"testing"
)

// TestDashboardShowsWaitingJoinRequests: after asking to join, the person's page says their
// request waits for an admin instead of "you're not in any organization yet"; once approved it
// shows the organization, and a declined request is gone.
func TestDashboardShowsWaitingJoinRequests(t *testing.T) {
	s := newSite(t)
	path := s.openJoin(approval)
	b, id := s.requestJoin(path, "ana@example.com", "Ana")
	p := b.get("/")
	p.mustContain(t, "Hello, Ana", "Your request to join Acme is waiting for an admin.")
	if strings.Contains(p.body, "not in any organization") {
		t.Fatal("the dashboard says Ana is in no organization, as if she had asked nothing")
	}
	// Nobody else sees it.
	s.member("kim@example.com", "kim's long password")
	k := s.browser()
	k.get("/login")
	k.post("/login", "email", "kim@example.com", "password", "kim's long password")
	if p := k.get("/"); strings.Contains(p.body, "waiting for an admin") {
		t.Fatal("another person's page shows Ana's request")
	}
	if err := s.svc.DecideJoinRequest(t.Context(), s.owner, id, true); err != nil {
		t.Fatal(err)
	}
	p = b.get("/")
	p.mustContain(t, "<h2 id=\"org-acme\">Acme</h2>")
	if strings.Contains(p.body, "waiting for an admin") {
		t.Fatal("an approved request still shows as waiting")
	}
	c, id2 := s.requestJoin(path, "bo@example.com", "Bo")
	if err := s.svc.DecideJoinRequest(t.Context(), s.owner, id2, false); err != nil {
		t.Fatal(err)
	}
	c.get("/").mustContain(t, "You're not in any organization yet")
}

// TestDashboardLeavesOutRequestsOfOrganizationsOneIsIn: a request left undecided while an
// invitation let the person in does not say it is waiting.
func TestDashboardLeavesOutRequestsOfOrganizationsOneIsIn(t *testing.T) {
	s := newSite(t)
	path := s.openJoin(approval)
	b, _ := s.requestJoin(path, "ana@example.com", "Ana")
	link := s.invite("ana@example.com")
	b.get(link)
	if p := b.post(link, "step", "accept"); p.status != 303 {
		t.Fatalf("accept: %d %s", p.status, p.body)
	}
	if p := b.get("/"); strings.Contains(p.body, "waiting for an admin") || !strings.Contains(p.body, "org-acme") {
		t.Fatalf("the dashboard of a member with an old request:\n%s", p.body)
	}
}
