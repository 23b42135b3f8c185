package web_test

import (
	"context"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// regexpValue is the value of the hidden field name on a page.
func regexpValue(t *testing.T, body, name string) string {
	t.Helper()
	m := regexp.MustCompile(`name="` + name + `" value="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no field %s on the page:\n%s", name, body)
	}
	return m[1]
}

func TestSSORequiredRefusesPassword(t *testing.T) {
	s := newSSOSite(t)
	ctx := context.Background()
	s.member("ann@example.com", "ann's long password")
	s.member("val@vendor.example", "val's long password")
	bad := "nope"
	if _, err := s.svc.UpdateSettings(ctx, s.admin, org.SettingsPatch{SSOProvider: &bad}); err == nil {
		t.Fatal("an unconfigured provider was accepted")
	}
	domains := []string{"example.com"}
	if _, err := s.svc.UpdateSettings(ctx, s.admin, org.SettingsPatch{SSORequiredDomains: &domains}); err == nil {
		t.Fatal("domains without a provider were accepted")
	}
	provider := "test"
	if _, err := s.svc.UpdateSettings(ctx, s.admin, org.SettingsPatch{SSORequiredDomains: &domains, SSOProvider: &provider}); err != nil {
		t.Fatal(err)
	}
	b := s.web()
	p := b.post("/login", "email", "ann@example.com", "password", "ann's long password")
	if p.status != 401 {
		t.Fatalf("password sign-in: %d", p.status)
	}
	p.mustContain(t, "Acme asks people with @example.com addresses to sign in with Test IdP", "Continue with Test IdP")
	if b.signedInAs() != "" {
		t.Fatal("signed in with a password")
	}
	// A wrong password still says only that.
	s.web().post("/login", "email", "ann@example.com", "password", "wrong password!").mustContain(t, "do not match an account")
	// Other domains keep their passwords.
	if p := s.web().post("/login", "email", "val@vendor.example", "password", "val's long password"); p.status != 200 {
		t.Fatalf("other domain: %d %s", p.status, p.body)
	}
	// Nobody new with such an address gets a password account through an invitation.
	res, err := s.svc.Invite(ctx, s.admin, org.InviteRequest{Emails: []string{"newbie@example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	link := strings.TrimPrefix(res.Created[0].AcceptURL, "http://lobby.test")
	nb := s.web()
	nb.get(link)
	if p := nb.post(link, "step", "signup", "name", "New", "password", "a long password!"); p.status != 422 ||
		!strings.Contains(html.UnescapeString(p.body), "asks people with @example.com addresses to sign in with Test IdP") {
		t.Fatalf("password sign-up for an SSO domain: %d", p.status)
	}
	// The provider's login works: linking it once with the password is still allowed.
	p = b.sso("/auth/oidc/test/start", "allow", "next", "/profile")
	p = b.post("/auth/oidc/link", "pending", regexpValue(t, p.body, "pending"), "password", "ann's long password")
	if b.signedInAs() != "ann@example.com" {
		t.Fatalf("SSO sign-in refused: %d %s", p.status, p.body)
	}
}

func TestSSOProfileLinkAndUnlink(t *testing.T) {
	s := newSSOSite(t)
	s.member("sam@example.com", "sam's long password")
	b := s.web()
	b.post("/login", "email", "sam@example.com", "password", "sam's long password")
	b.get("/profile").mustContain(t, "Linked logins", "Link your Test IdP login")
	// Linking from the profile links the provider's login (Ann's there) to Sam, who is signed in.
	p := b.sso("/auth/oidc/test/start", "allow", "link", "1")
	if !strings.HasSuffix(p.location, "/profile?saved=1") {
		t.Fatalf("link: %d %s %s", p.status, p.location, p.body)
	}
	p.mustContain(t, "ann@example.com", "Unlink")
	id := regexp.MustCompile(`/profile/logins/([^/]+)/unlink`).FindStringSubmatch(p.body)[1]
	// The same login cannot be linked to a second account.
	s.member("tom@example.com", "tom's long password")
	b2 := s.web()
	b2.post("/login", "email", "tom@example.com", "password", "tom's long password")
	b2.sso("/auth/oidc/test/start", "allow", "link", "1").mustContain(t, "already linked to another account")
	// Sam has a password, so unlinking is allowed; someone else's login id is not found.
	if p := b2.post("/profile/logins/" + id + "/unlink"); p.status != 422 {
		t.Fatalf("unlink someone else's login: %d", p.status)
	}
	if p := b.post("/profile/logins/" + id + "/unlink"); !strings.HasSuffix(p.location, "/profile?saved=1") {
		t.Fatalf("unlink: %d %s", p.status, p.body)
	}
	if s.count(`SELECT COUNT(*) FROM identities`) != 0 {
		t.Fatal("not unlinked")
	}
}

func TestSSOUnlinkNeedsAnotherWayIn(t *testing.T) {
	s := newSSOSite(t)
	link := s.invite("ann@example.com")
	b := s.web()
	b.sso(link+"/sso/test", "allow")
	p := b.get("/profile")
	id := regexp.MustCompile(`/profile/logins/([^/]+)/unlink`).FindStringSubmatch(p.body)[1]
	p = b.post("/profile/logins/" + id + "/unlink")
	if p.status != 422 {
		t.Fatalf("unlink the only way in: %d", p.status)
	}
	p.mustContain(t, "This is your only way to sign in; set a password or link another login first")
	// With a password (no current one needed for an account that never had one) it may go.
	b.post("/profile/password", "password", "ann's new long password")
	if p := b.post("/profile/logins/" + id + "/unlink"); !strings.HasSuffix(p.location, "/profile?saved=1") {
		t.Fatalf("unlink with a password: %d %s", p.status, p.body)
	}
}

func TestSSOJoinPage(t *testing.T) {
	s := newSSOSite(t)
	on, domains, slug := true, []string{"example.com"}, "acme-sso"
	if _, err := s.svc.UpdateSettings(context.Background(), s.admin, org.SettingsPatch{JoinEnabled: &on, JoinAllowedDomains: &domains, JoinSlug: &slug}); err != nil {
		t.Fatal(err)
	}
	b := s.web()
	p := b.sso("/join/acme-sso/sso/test", "allow")
	p.mustContain(t, "Welcome to Acme")
	if s.count(`SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email_norm = 'ann@example.com'
 AND m.source = 'join' AND m.status = 'active'`) != 1 {
		t.Fatal("not joined")
	}
}

func TestSSOJoinPageWhitelist(t *testing.T) {
	s2 := newSSOSite(t)
	on, slug := true, "acme-sso"
	other := []string{"corp.example"}
	if _, err := s2.svc.UpdateSettings(context.Background(), s2.admin, org.SettingsPatch{JoinEnabled: &on, JoinAllowedDomains: &other, JoinSlug: &slug}); err != nil {
		t.Fatal(err)
	}
	s2.web().sso("/join/acme-sso/sso/test", "allow").mustContain(t, "This address cannot join Acme")
}

// TestSSOJoinRefusesADisabledAccount: an account that was disabled cannot join another
// organization with its linked login, as it cannot sign in with it.
func TestSSOJoinRefusesADisabledAccount(t *testing.T) {
	s := newSSOSite(t)
	ctx := context.Background()
	on, domains := true, []string{"example.com"}
	slugA, slugB := "acme-sso", "beta-sso"
	if _, err := s.svc.UpdateSettings(ctx, s.admin, org.SettingsPatch{JoinEnabled: &on, JoinAllowedDomains: &domains, JoinSlug: &slugA}); err != nil {
		t.Fatal(err)
	}
	beta, err := s.svc.CreateOrg(ctx, s.admin, "beta", "Beta")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.UpdateSettings(ctx, org.SystemActor("cli", "t", beta.ID), org.SettingsPatch{JoinEnabled: &on,
		JoinAllowedDomains: &domains, JoinSlug: &slugB}); err != nil {
		t.Fatal(err)
	}
	s.web().sso("/join/acme-sso/sso/test", "allow").mustContain(t, "Welcome to Acme")
	if _, err := s.db.W.Exec(`UPDATE users SET disabled_at = 1 WHERE email_norm = 'ann@example.com'`); err != nil {
		t.Fatal(err)
	}
	s.web().sso("/join/beta-sso/sso/test", "allow").mustContain(t, "This account is disabled.")
	if n := s.count(`SELECT count(*) FROM memberships WHERE org_id = ?`, beta.ID); n != 0 {
		t.Fatalf("a disabled account joined Beta (%d members)", n)
	}
}

// annRequiredToUseSSO is an SSO site where Acme, Ann's organization, requires its provider for
// @example.com addresses, and a second organization, Beta, that does not.
func annRequiredToUseSSO(t *testing.T) (*ssoSite, store.Org) {
	t.Helper()
	s := newSSOSite(t)
	ctx := context.Background()
	s.member("ann@example.com", "ann's long password")
	domains, provider := []string{"example.com"}, "test"
	if _, err := s.svc.UpdateSettings(ctx, s.admin, org.SettingsPatch{SSORequiredDomains: &domains, SSOProvider: &provider}); err != nil {
		t.Fatal(err)
	}
	beta, err := s.svc.CreateOrg(ctx, s.admin, "beta", "Beta")
	if err != nil {
		t.Fatal(err)
	}
	return s, beta
}

// TestSSORequiredHoldsOnInvitationSignIn: an organization that requires its provider for an
// address is not got round by signing in with the password on another organization's
// invitation.
func TestSSORequiredHoldsOnInvitationSignIn(t *testing.T) {
	s, beta := annRequiredToUseSSO(t)
	ctx := context.Background()
	res, err := s.svc.Invite(ctx, org.SystemActor("cli", "t", beta.ID), org.InviteRequest{Emails: []string{"ann@example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	link := strings.TrimPrefix(res.Created[0].AcceptURL, "http://lobby.test")
	b := s.web()
	b.get(link)
	p := b.post(link, "step", "signin", "password", "ann's long password")
	if p.status == 303 || b.signedInAs() != "" {
		t.Fatalf("signed in with a password on an invitation: %d", p.status)
	}
	p.mustContain(t, "asks people with @example.com addresses to sign in with Test IdP")
}

// TestSSORequiredHoldsOnJoinConfirmation: nor by signing in with the password on another
// organization's join confirmation.
func TestSSORequiredHoldsOnJoinConfirmation(t *testing.T) {
	s, beta := annRequiredToUseSSO(t)
	ctx := context.Background()
	on, slug, domains := true, "beta-join", []string{"example.com"}
	if _, err := s.svc.UpdateSettings(ctx, org.SystemActor("cli", "t", beta.ID), org.SettingsPatch{JoinEnabled: &on,
		JoinAllowedDomains: &domains, JoinSlug: &slug}); err != nil {
		t.Fatal(err)
	}
	if err := s.svc.RequestJoin(ctx, slug, "ann@example.com"); err != nil {
		t.Fatal(err)
	}
	link := s.joinLink("ann@example.com")
	b := s.web()
	b.get(link)
	p := b.post(link, "step", "signin", "password", "ann's long password")
	if p.status == 303 || b.signedInAs() != "" {
		t.Fatalf("signed in with a password on a join confirmation: %d", p.status)
	}
	p.mustContain(t, "asks people with @example.com addresses to sign in with Test IdP")
}
