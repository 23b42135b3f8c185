package web_test

import (
	"context"
	"strings"
	"testing"
)

// TestResetPagesSayWhatHappens: the sent page leads back to sign-in; the reset page names the
// account its link resets (opening it uses nothing up), also after a refused password; and
// after the reset the person is told what changed, not just "Saved.".
func TestResetPagesSayWhatHappens(t *testing.T) {
	s := newSite(t)
	s.member("ana@example.com", "ana's old password")
	b := s.browser()
	b.get("/reset")
	b.post("/reset", "email", "ana@example.com").mustContain(t, `<a href="/login">Back to sign in</a>`)
	link := resetLink(t, s)
	for range 2 {
		p := b.get(link)
		if p.status != 200 {
			t.Fatalf("reset page: %d", p.status)
		}
		p.mustContain(t, "<h1>Choose a new password for ana@example.com</h1>", `autocomplete="username" value="ana@example.com"`)
	}
	p := b.post(link, "password", "short")
	if p.status != 422 {
		t.Fatalf("a short password: %d", p.status)
	}
	p.mustContain(t, "<h1>Choose a new password for ana@example.com</h1>")
	p = b.post(link, "password", "ana's new password")
	if p.status != 303 {
		t.Fatalf("reset: %d", p.status)
	}
	if got := b.get(p.location).text(); !strings.Contains(got, "Your password is changed. You were signed out everywhere else.") {
		t.Errorf("after the reset: %s", got)
	}
}

// TestPasswordChangeSaysWhatHappened: changing the password on the profile says the other
// sessions ended; saving the name still says "Saved.".
func TestPasswordChangeSaysWhatHappened(t *testing.T) {
	s := newSite(t)
	s.member("sam@example.com", "sam's long password")
	b, laptop := s.browser(), s.browser()
	for _, br := range []*browser{b, laptop} {
		br.get("/login")
		br.post("/login", "email", "sam@example.com", "password", "sam's long password")
	}
	if p := laptop.get("/profile"); p.status != 200 {
		t.Fatalf("the second browser is not signed in: %d", p.status)
	}
	p := b.post("/profile/password", "current_password", "sam's long password", "password", "sam's new password")
	if p.status != 303 {
		t.Fatalf("change: %d %s", p.status, p.body)
	}
	got := b.get(p.location).text()
	if !strings.Contains(got, "Your password is changed. You were signed out everywhere else.") {
		t.Errorf("after the change: %s", got)
	}
	if p := laptop.get("/profile"); p.status != 303 || !strings.HasPrefix(p.location, "/login") {
		t.Errorf("the other browser is still signed in after the password change: %d %q", p.status, p.location)
	}
	b.get(b.post("/profile", "name", "Sam").location).mustContain(t, `<p class="notice" role="status">Saved.</p>`)
}

// TestSignInAndSetupExplainThemselves: the sign-in page tells someone without an account how
// accounts are made, and setup gives the rule for the short name, the one org enforces.
func TestSignInAndSetupExplainThemselves(t *testing.T) {
	s := newSite(t)
	if got := s.browser().get("/login").text(); !strings.Contains(got, "No account? Accounts are made from an invitation or an organization's join link.") {
		t.Errorf("sign-in page: %s", got)
	}
	if _, err := s.db.W.ExecContext(context.Background(), `DELETE FROM users`); err != nil {
		t.Fatal(err)
	}
	link, err := s.svc.NewSetupLink(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b := s.browser()
	b.get(strings.TrimPrefix(link, "http://lobby.test")).mustContain(t, "3 to 64 lower-case letters, digits or hyphens")
	p := b.post(strings.TrimPrefix(link, "http://lobby.test"), "org_name", "Zeta", "slug", "ze", "name", "Zoe", "email", "zoe@zeta.example",
		"password", "zoe's long password")
	p.mustContain(t, "must be 3 to 64 lower-case letters, digits or hyphens", "3 to 64 lower-case letters, digits or hyphens, not starting")
}
