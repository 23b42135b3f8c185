package web_test

import (
	"strings"
	"testing"
)

// TestSSOButtonsReadTheSameEverywhere: the sign-in, invitation and join pages introduce the
// provider's button in the same words, and the button says the same thing on each.
func TestSSOButtonsReadTheSameEverywhere(t *testing.T) {
	s := newSSOSite(t)
	join := s.openJoin()
	b := s.web()
	for _, path := range []string{"/login", s.invite("bo@example.com"), join} {
		p := b.get(path)
		if p.status != 200 {
			t.Fatalf("%s: %d", path, p.status)
		}
		got := p.text()
		if !strings.Contains(got, "Or continue with your work account Continue with Test IdP") {
			t.Errorf("%s: %s", path, got)
		}
		for _, old := range []string{"Or sign in with", "organization's login", "join with your work account", "Sign in with Test IdP"} {
			if strings.Contains(got, old) {
				t.Errorf("%s still says %q", path, old)
			}
		}
	}
}
