package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/store"
)

// The console offers a custom role only the roles it may hand out, and the token form only to
// those who may make tokens (a token acts as an admin); a form sent anyway is refused in words.
func TestConsoleOffersOnlyWhatACustomRoleMayGrant(t *testing.T) {
	s := newSite(t)
	for key, perms := range map[string][]string{
		"hrs":  {"members:manage", "invitations:manage"},
		"ops":  {"members:manage", "tokens:manage", "settings:manage"},
		"keys": {"settings:manage", "tokens:manage"},
	} {
		if _, err := s.svc.CreateRole(context.Background(), s.admin, key, key, perms); err != nil {
			t.Fatal(err)
		}
	}
	hr := s.signedIn("hana@acme.test", "hrs")
	form := hr.get("/console/acme/invite")
	form.mustContain(t, `<option value="member"`, `<option value="hrs"`)
	for _, no := range []string{`<option value="ops"`, `<option value="admin"`, `<option value="owner"`} {
		if strings.Contains(form.body, no) {
			t.Errorf("the invite form offers hrs %s", no)
		}
	}
	sent := hr.post("/console/acme/invite", "emails", "new@acme.test", "role", "ops", "step", "send")
	if s.count(`SELECT count(*) FROM invitations WHERE email_norm = 'new@acme.test'`) != 0 {
		t.Fatal("hrs invited someone as ops by sending the form anyway")
	}
	sent.mustContain(t, "cannot grant the ops role")

	keys := s.signedIn("kim@acme.test", "keys")
	page := keys.get("/console/acme/settings")
	page.mustContain(t, "API and SCIM tokens", "Only admins and owners can create tokens")
	if strings.Contains(page.body, `action="/console/acme/tokens"`) {
		t.Fatal("the settings page offers the token form to a role that may not make tokens")
	}
	p := keys.post("/console/acme/tokens", "name", "mine", "kind", "api", "expires_in", "90d")
	if s.count(`SELECT count(*) FROM api_tokens`) != 0 {
		t.Fatalf("keys made a token by sending the form anyway: %d %s", p.status, p.location)
	}
	ada := s.signedIn("ada@acme.test", "admin")
	ada.get("/console/acme/settings").mustContain(t, `action="/console/acme/tokens"`)

	// A token Kim made before tokens needed an admin's role still acts as one: the list says so.
	var kim string
	if err := s.db.R.QueryRow(`SELECT id FROM users WHERE email_norm = 'kim@acme.test'`).Scan(&kim); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Tx(context.Background(), func(q store.Q) error {
		return store.CreateAPIToken(context.Background(), q, store.APIToken{ID: store.NewID(), OrgID: s.org.ID, Kind: "api",
			Name: "Kim's old token", TokenHash: "h", CreatedBy: kim, CreatedAt: 1})
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.CreateToken(context.Background(), s.admin, "api", "CLI token"); err != nil {
		t.Fatal(err)
	}
	page = ada.get("/console/acme/settings")
	page.mustContain(t, "Kim's old token", "Made by someone whose role cannot make tokens today")
	if n := strings.Count(page.body, "Made by someone whose role cannot make tokens today"); n != 1 {
		t.Fatalf("%d tokens are flagged; want only Kim's", n)
	}
}

// The form for a new custom role says what "Manage API and SCIM tokens" gives such a role.
func TestRoleFormSaysWhatTokensManageGives(t *testing.T) {
	s := newSite(t)
	s.signedIn("ada@acme.test", "admin").get("/console/acme/roles").mustContain(t,
		`Manage API and SCIM tokens <span class="small muted">(see and revoke them; only admins and owners make new ones)`)
}
