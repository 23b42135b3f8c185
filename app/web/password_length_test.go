package web_test

import (
	"testing"

	"github.com/lobby/lobby/app/org"
)

// security.password_min_length holds where a new password is chosen, and every such form
// says the instance's own minimum.
func TestPasswordMinLengthIsTheInstances(t *testing.T) {
	s := newSite(t, func(o *org.Options) { o.PasswordMinLength = 12 })
	link := s.invite("newbie@example.com")
	b := s.browser()
	b.get(link).mustContain(t, `minlength="12"`, "At least 12 characters")
	p := b.post(link, "step", "signup", "name", "Nina New", "password", "eleven char")
	if p.status != 422 || s.count(`SELECT count(*) FROM users WHERE email_norm = 'newbie@example.com'`) != 0 {
		t.Fatalf("an 11-character password: %d", p.status)
	}
	p.mustContain(t, "password must be at least 12 characters", `value="Nina New"`)
	if p := b.post(link, "step", "signup", "name", "Nina New", "password", "twelve chars"); p.status != 303 {
		t.Fatalf("a 12-character password: %d", p.status)
	}
	b.get("/profile").mustContain(t, `minlength="12"`, "At least 12 characters")

	// The join page's confirmation form too.
	path := s.openJoin()
	j := s.browser()
	j.get(path)
	j.post(path, "email", "jo@example.com")
	link = s.joinLink("jo@example.com")
	j.get(link).mustContain(t, `minlength="12"`, "At least 12 characters")
	if p := j.post(link, "name", "Jo", "password", "eleven char"); p.status != 422 ||
		s.count(`SELECT count(*) FROM users WHERE email_norm = 'jo@example.com'`) != 0 {
		t.Fatalf("an 11-character password on the join page: %d", p.status)
	}
}
