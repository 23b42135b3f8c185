package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lobby/lobby/app/config"
	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/auth/oidc/oidctest"
)

func TestSSOAcceptInvitationThenSignIn(t *testing.T) {
	s := newSSOSite(t)
	link := s.invite("ann@example.com")
	b := s.web()
	b.get(link).mustContain(t, "Continue with Test IdP")
	p := b.sso(link+"/sso/test", "allow")
	if p.status != 200 || !strings.Contains(p.location, "/?joined=Acme") {
		t.Fatalf("after the provider: %d %s\n%s", p.status, p.location, p.body)
	}
	p.mustContain(t, "Welcome to Acme")
	if who := b.signedInAs(); who != "ann@example.com" {
		t.Fatalf("signed in as %q", who)
	}
	if n := s.count(`SELECT COUNT(*) FROM users WHERE email_norm = 'ann@example.com' AND password_hash IS NULL AND name = 'Ann Example'`); n != 1 {
		t.Fatal("no password-less account named from the provider")
	}
	if n := s.count(`SELECT COUNT(*) FROM identities i JOIN users u ON u.id = i.user_id WHERE u.email_norm = 'ann@example.com'
 AND i.issuer = ? AND i.subject = 'ann-sub'`, s.op.Issuer); n != 1 {
		t.Fatal("identity not linked")
	}
	if n := s.count(`SELECT COUNT(*) FROM invitations WHERE email_norm = 'ann@example.com' AND status = 'accepted'`); n != 1 {
		t.Fatal("invitation not accepted")
	}
	// A new browser signs in with the same login from the sign-in page.
	b2 := s.web()
	b2.get("/login").mustContain(t, "Continue with Test IdP")
	p = b2.sso("/auth/oidc/test/start", "allow", "next", "/profile")
	if p.status != 200 || !strings.HasSuffix(p.location, "/profile") {
		t.Fatalf("sign-in: %d %s", p.status, p.location)
	}
	if who := b2.signedInAs(); who != "ann@example.com" {
		t.Fatalf("signed in as %q", who)
	}
	p.mustContain(t, "Linked logins", "Test IdP")
}

func TestSSOInvitationForAnotherAddress(t *testing.T) {
	s := newSSOSite(t)
	link := s.invite("bob@example.com")
	p := s.web().sso(link+"/sso/test", "allow")
	if p.status != 403 {
		t.Fatalf("status %d", p.status)
	}
	p.mustContain(t, "This is for bob@example.com, but your Test IdP login is ann@example.com", "Back to the invitation")
	if s.count(`SELECT COUNT(*) FROM users WHERE email_norm = 'ann@example.com'`) != 0 ||
		s.count(`SELECT COUNT(*) FROM invitations WHERE status = 'pending'`) != 1 || s.count(`SELECT COUNT(*) FROM identities`) != 0 {
		t.Fatal("something changed")
	}
}

func TestSSOUnverifiedEmailCountsForNothing(t *testing.T) {
	for name, setup := range map[string]func(s *ssoSite){
		"missing": func(s *ssoSite) {
			s.op.AddUser(oidctest.User{Subject: "ann-sub", Email: "ann@example.com", EmailVerified: false})
		},
		"false": func(s *ssoSite) { s.op.Tamper(func(c map[string]any) { c["email_verified"] = false }) },
	} {
		t.Run(name, func(t *testing.T) {
			s := newSSOSite(t)
			setup(s)
			link := s.invite("ann@example.com")
			p := s.web().sso(link+"/sso/test", "allow")
			p.mustContain(t, "Test IdP did not confirm an email address for this login")
			if s.count(`SELECT COUNT(*) FROM invitations WHERE status = 'pending'`) != 1 || s.count(`SELECT COUNT(*) FROM users WHERE email_norm = 'ann@example.com'`) != 0 {
				t.Fatal("an unverified address accepted the invitation")
			}
			s.member("ann@example.com", "ann's long password") // an account with that address exists now
			p = s.web().sso("/auth/oidc/test/start", "allow")
			p.mustContain(t, "There's no account for this login", "did not confirm an email address")
			if s.count(`SELECT COUNT(*) FROM identities`) != 0 {
				t.Fatal("an unverified address was linked")
			}
		})
	}
}

func TestSSONoAccountNoInvitation(t *testing.T) {
	s := newSSOSite(t)
	b := s.web()
	p := b.sso("/auth/oidc/test/start", "allow")
	if p.status != 403 {
		t.Fatalf("status %d", p.status)
	}
	p.mustContain(t, "No account here uses your Test IdP login (ann@example.com)", "ask an admin")
	if b.signedInAs() != "" || s.count(`SELECT COUNT(*) FROM users WHERE email_norm = 'ann@example.com'`) != 0 {
		t.Fatal("an account appeared")
	}
}

// TestSSOExistingPasswordAccountIsNotLinkedSilently: the same verified address as a password
// account is linked only after that account's password.
func TestSSOExistingPasswordAccountIsNotLinkedSilently(t *testing.T) {
	s := newSSOSite(t)
	s.member("ann@example.com", "ann's long password")
	b := s.web()
	p := b.sso("/auth/oidc/test/start", "allow", "next", "/profile")
	p.mustContain(t, "You already have an account", "Password for ann@example.com")
	if b.signedInAs() != "" || s.count(`SELECT COUNT(*) FROM identities`) != 0 {
		t.Fatal("signed in or linked without the password")
	}
	pending := regexpValue(t, p.body, "pending")
	if p := b.post("/auth/oidc/link", "pending", pending, "password", "wrong password!"); p.status != 401 {
		t.Fatalf("wrong password: %d", p.status)
	}
	if s.count(`SELECT COUNT(*) FROM identities`) != 0 {
		t.Fatal("linked after a wrong password")
	}
	// Another browser cannot use the pending link even with the password.
	if p := s.web().post("/auth/oidc/link", "pending", pending, "password", "ann's long password"); p.status != 400 {
		t.Fatalf("other browser: %d", p.status)
	}
	p = b.post("/auth/oidc/link", "pending", pending, "password", "ann's long password")
	if p.status != 200 || !strings.HasSuffix(p.location, "/profile") || b.signedInAs() != "ann@example.com" {
		t.Fatalf("link: %d %s", p.status, p.location)
	}
	if s.count(`SELECT COUNT(*) FROM identities`) != 1 {
		t.Fatal("not linked")
	}
	if p := b.post("/auth/oidc/link", "pending", pending, "password", "ann's long password"); p.status != 400 {
		t.Fatalf("pending link reused: %d", p.status)
	}
	// From now on the login alone signs in.
	if p := s.web().sso("/auth/oidc/test/start", "allow", "next", "/profile"); !strings.HasSuffix(p.location, "/profile") {
		t.Fatalf("sign-in after linking: %d %s", p.status, p.location)
	}
}

func TestSSOInvitationForExistingPasswordAccount(t *testing.T) {
	s := newSSOSite(t)
	ctx := context.Background()
	other, err := s.svc.CreateOrg(ctx, org.SystemActor("cli", "t", ""), "globex", "Globex")
	if err != nil {
		t.Fatal(err)
	}
	s.member("ann@example.com", "ann's long password") // a member of Acme
	res, err := s.svc.Invite(ctx, org.SystemActor("cli", "t", other.ID), org.InviteRequest{Emails: []string{"ann@example.com"}})
	if err != nil || len(res.Created) != 1 {
		t.Fatal(err, res.Errors)
	}
	link := strings.TrimPrefix(res.Created[0].AcceptURL, "http://lobby.test")
	b := s.web()
	p := b.sso(link+"/sso/test", "allow")
	p.mustContain(t, "Enter its password once to link your Test IdP login to it and accept the invitation")
	if s.count(`SELECT COUNT(*) FROM invitations WHERE status = 'pending'`) != 1 {
		t.Fatal("accepted before the password")
	}
	p = b.post("/auth/oidc/link", "pending", regexpValue(t, p.body, "pending"), "password", "ann's long password")
	p.mustContain(t, "Welcome to Globex")
	if s.count(`SELECT COUNT(*) FROM invitations WHERE status = 'accepted'`) != 1 || s.count(`SELECT COUNT(*) FROM identities`) != 1 {
		t.Fatal("not accepted and linked")
	}
}

// TestSSOStateReplayAndOtherBrowser catches the provider's redirect back and replays it.
func TestSSOStateReplayAndOtherBrowser(t *testing.T) {
	s := newSSOSite(t)
	s.member("ann@example.com", "ann's long password")
	b := s.web()
	b.holdAt = ssoCallback
	back := b.sso("/auth/oidc/test/start", "allow").location
	if !strings.HasPrefix(back, ssoCallback+"?") || !strings.Contains(back, "state=") {
		t.Fatalf("held at %q", back)
	}
	b.holdAt = ""
	if p := s.web().get(back); p.status != 400 {
		t.Fatalf("another browser finished the sign-in: %d", p.status)
	}
	wrong := strings.Replace(back, "state=", "state=x", 1)
	if p := b.get(wrong); p.status != 400 {
		t.Fatalf("wrong state: %d", p.status)
	}
	if p := b.get(back); p.status != 200 || !strings.Contains(p.body, "You already have an account") {
		t.Fatalf("the right browser: %d %s", p.status, p.body)
	}
	p := b.get(back)
	if p.status != 400 {
		t.Fatalf("replayed state: %d", p.status)
	}
	p.mustContain(t, "This sign-in could not be finished")
}

func TestSSOHostileProviderAnswers(t *testing.T) {
	for _, tc := range []struct {
		name, code, want string
		change           func(c map[string]any)
	}{
		{"nonce", "wrong_nonce", "was not valid for this site", func(c map[string]any) { c["nonce"] = "replayed" }},
		{"audience", "wrong_audience", "was not valid for this site", func(c map[string]any) { c["aud"] = "another-app" }},
		{"issuer", "wrong_issuer", "was not valid for this site", func(c map[string]any) { c["iss"] = "https://evil.example" }},
		{"clock", "id_token_expired", "clocks of this site and Test IdP disagree", func(c map[string]any) {
			c["exp"] = time.Now().Add(-time.Hour).Unix()
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSSOSite(t)
			link := s.invite("ann@example.com")
			s.op.Tamper(tc.change)
			b := s.web()
			p := b.sso(link+"/sso/test", "allow")
			if p.status != 502 {
				t.Fatalf("status %d", p.status)
			}
			p.mustContain(t, tc.want)
			if b.signedInAs() != "" || s.count(`SELECT COUNT(*) FROM users WHERE email_norm = 'ann@example.com'`) != 0 {
				t.Fatal("a hostile answer signed someone in")
			}
			logs := s.log.String()
			if !strings.Contains(logs, "error_code="+tc.code) || strings.Contains(logs, "eyJ") || strings.Contains(logs, "code=") && strings.Contains(logs, "state=") {
				t.Fatalf("admin log line: %s", logs)
			}
		})
	}
}

func TestSSOProviderErrorsGetPlainPages(t *testing.T) {
	t.Run("denied consent", func(t *testing.T) {
		s := newSSOSite(t)
		p := s.web().sso("/auth/oidc/test/start", "deny")
		if p.status != 403 || !strings.Contains(s.log.String(), "error_code=access_denied") {
			t.Fatalf("status %d, log %s", p.status, s.log.String())
		}
		p.mustContain(t, "Sign-in with Test IdP was cancelled")
	})
	t.Run("wrong client secret", func(t *testing.T) {
		s := newSSOSite(t, func(c *config.OIDCProvider) { c.ClientSecret = "not-the-secret" })
		p := s.web().sso("/auth/oidc/test/start", "allow")
		p.mustContain(t, "Test IdP sign-in is not set up correctly")
		if logs := s.log.String(); !strings.Contains(logs, "kind=client_rejected") || strings.Contains(logs, "not-the-secret") {
			t.Fatalf("log: %s", logs)
		}
	})
	t.Run("changed key", func(t *testing.T) {
		s := newSSOSite(t)
		s.op.SignWith(oidctest.NewKey())
		s.web().sso("/auth/oidc/test/start", "allow").mustContain(t, "did not match its published keys")
	})
	t.Run("provider down, then back", func(t *testing.T) {
		s := newSSOSite(t)
		s.op.SetDown(true)
		b := s.web()
		b.get("/login").mustContain(t, "Continue with Test IdP")
		p := b.post("/auth/oidc/test/start")
		if p.status != 503 {
			t.Fatalf("status %d", p.status)
		}
		p.mustContain(t, "This login is unavailable right now")
		s.op.SetDown(false)
		b.sso("/auth/oidc/test/start", "allow").mustContain(t, "There's no account for this login")
	})
	t.Run("domain not allowed", func(t *testing.T) {
		s := newSSOSite(t, func(c *config.OIDCProvider) { c.AllowedDomains = []string{"corp.example"} })
		link := s.invite("ann@example.com")
		s.web().sso(link+"/sso/test", "allow").mustContain(t, "This login can't be used here")
	})
}
