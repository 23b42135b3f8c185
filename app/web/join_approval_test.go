package web_test

import (
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// approval switches admin approval on for the join page.
func approval(p *org.SettingsPatch) { on := true; p.JoinApproval = &on }

// TestJoinPagesSayAnAdminApproves: with approval on, the join page says an admin approves each
// request, and the confirmation page asks to join rather than promising a membership, for a
// newcomer and for someone with an account alike. Without approval they promise the membership.
func TestJoinPagesSayAnAdminApproves(t *testing.T) {
	s := newSite(t)
	path := s.openJoin(approval)
	b := s.browser()
	b.get(path).mustContain(t, "An admin of Acme approves each request to join.")
	b.post(path, "email", "ana@example.com")
	confirm := b.get(s.joinLink("ana@example.com"))
	confirm.mustContain(t, "<h1>Ask to join Acme</h1>", "An admin of Acme approves each request. We'll email you when they decide.",
		"Send my request")
	if strings.Contains(confirm.body, ">Join Acme</button>") {
		t.Fatal("the confirmation page's button says Join while an admin must approve")
	}
	// Someone with an account (in another organization) signs in to send theirs.
	beta, err := s.svc.CreateOrg(t.Context(), s.admin, "beta", "Beta")
	if err != nil {
		t.Fatal(err)
	}
	h, _ := s.svc.HashPassword(t.Context(), "sam's long password")
	if _, err := s.svc.AddMember(t.Context(), adminOf(s, beta.ID), org.NewMember{Email: "sam@example.com", Name: "Sam", PasswordHash: h}); err != nil {
		t.Fatal(err)
	}
	b.post(path, "email", "sam@example.com")
	b.get(s.joinLink("sam@example.com")).mustContain(t, "<h1>Ask to join Acme</h1>", "Sign in to send your request.",
		"Sign in and send my request")

	// Without approval: no mention of an admin, and the buttons join.
	s.openJoin(func(p *org.SettingsPatch) { off := false; p.JoinApproval = &off })
	c := s.browser()
	if p := c.get(path); strings.Contains(p.body, "approves each request") {
		t.Fatal("the join page mentions approval while it is off")
	}
	c.post(path, "email", "jo@example.com")
	p := c.get(s.joinLink("jo@example.com"))
	p.mustContain(t, "<h1>Join Acme</h1>", ">Join Acme</button>")
	if strings.Contains(p.body, "approves") || strings.Contains(p.body, "Send my request") {
		t.Fatal("the confirmation page speaks of a request while approval is off")
	}
}

// requestJoin asks to join through the page with approval on, as a newcomer signing up from the
// emailed link, and returns the browser they are signed in with and the request's id.
func (s *site) requestJoin(path, email, name string) (*browser, string) {
	s.t.Helper()
	b := s.browser()
	b.get(path)
	b.post(path, "email", email)
	link := s.joinLink(email)
	b.get(link)
	b.post(link, "step", "signup", "name", name, "password", "a long password!").mustContain(s.t, "Your request to join Acme was sent", `<span>Acme</span>`)
	var id string
	if err := s.db.R.QueryRow(`SELECT id FROM invitations WHERE status = 'requested' AND email_norm = ?`, email).Scan(&id); err != nil {
		s.t.Fatalf("no request from %s: %v", email, err)
	}
	return b, id
}
