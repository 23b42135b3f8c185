package scim_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

func TestDuplicateUserNameIgnoresCase(t *testing.T) {
	e := newEnv(t)
	e.createUser("Dup@Acme.test", "d1")
	for _, name := range []string{"dup@acme.test", "DUP@ACME.TEST", "alice@ACME.test"} {
		r := e.call("POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"`+name+`"}`).must(t, 409)
		if r.str("scimType") != "uniqueness" || r.str("status") != "409" || r.str("schemas.0") != "urn:ietf:params:scim:api:messages:2.0:Error" {
			t.Fatalf("%s: %s", name, r.raw)
		}
	}
}

// TestOtherOrganization checks that a token never reaches another organization's people or
// groups: their ids answer 404 and nothing changes.
func TestOtherOrganization(t *testing.T) {
	e := newEnv(t)
	other, err := e.svc.CreateOrg(e.ctx, org.SystemActor("cli", "test", ""), "globex", "Globex")
	if err != nil {
		t.Fatal(err)
	}
	theirs := org.SystemActor("cli", "test", other.ID)
	u, err := e.svc.SCIMCreateUser(e.ctx, theirs, e.policy, org.SCIMUser{UserName: "gus@globex.test", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	g, err := e.svc.SCIMCreateGroup(e.ctx, theirs, "Globex crew", "", []string{u.ID})
	if err != nil {
		t.Fatal(err)
	}
	patch := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}`
	e.call("GET", "/Users/"+u.ID, "").must(t, 404)
	e.call("PATCH", "/Users/"+u.ID, patch).must(t, 404)
	e.call("PUT", "/Users/"+u.ID, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"gus@globex.test"}`).must(t, 404)
	e.call("DELETE", "/Users/"+u.ID, "").must(t, 404)
	e.call("GET", "/Groups/"+g.ID, "").must(t, 404)
	e.call("DELETE", "/Groups/"+g.ID, "").must(t, 404)
	if r := e.call("GET", filterPath("/Users", `userName eq "gus@globex.test"`), "").must(t, 200); r.num("totalResults") != 0 {
		t.Fatalf("another organization's member is listed: %s", r.raw)
	}
	// Nor can our groups take their members.
	mine := e.call("POST", "/Groups", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Mine"}`).must(t, 201)
	e.call("PATCH", "/Groups/"+mine.str("id"), `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
		"Operations":[{"op":"add","path":"members","value":[{"value":"`+u.ID+`"}]}]}`).must(t, 400)
	if n := e.count(`SELECT count(*) FROM memberships WHERE id = ? AND status = 'active'`, u.ID); n != 1 {
		t.Fatal("another organization's member changed")
	}
}

func TestAuthentication(t *testing.T) {
	e := newEnv(t)
	api, err := e.svc.CreateToken(e.ctx, e.admin, "api", "not scim")
	if err != nil {
		t.Fatal(err)
	}
	revoked, err := e.svc.CreateToken(e.ctx, e.admin, "scim", "old")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.RevokeToken(e.ctx, e.admin, revoked.Token.ID); err != nil {
		t.Fatal(err)
	}
	for name, auth := range map[string]string{"none": "", "basic": "Basic " + e.token, "wrong": "Bearer lobby_scim_nope",
		"api token": "Bearer " + api.Plain, "revoked": "Bearer " + revoked.Plain} {
		for _, path := range []string{"/Users", "/ServiceProviderConfig", "/Schemas"} {
			r := e.call("GET", path, "", "Authorization", auth)
			if r.status != 401 || r.str("status") != "401" || r.str("schemas.0") != "urn:ietf:params:scim:api:messages:2.0:Error" ||
				!strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s on %s: %d %s", name, path, r.status, r.raw)
			}
		}
	}
	// An expired token is told so, on the lookup's fast path as on the others, so that whoever
	// runs the provider knows to make a new one.
	short, err := e.svc.CreateTokenFor(e.ctx, e.admin, "scim", "short", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Add(time.Hour)
	for _, path := range []string{"/Users", filterPath("/Users", `userName eq "alice@acme.test"`)} {
		r := e.call("GET", path, "", "Authorization", "Bearer "+short.Plain).must(t, 401)
		if !strings.Contains(r.str("detail"), "has expired") {
			t.Errorf("expired token on %s: %s", path, r.raw)
		}
	}
}

func TestBodyLimit(t *testing.T) {
	e := newEnv(t)
	big := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"big@acme.test","title":"` +
		strings.Repeat("x", 70<<10) + `"}`
	r := e.call("POST", "/Users", big).must(t, 413)
	if r.str("status") != "413" || !strings.Contains(r.str("detail"), "larger") {
		t.Fatalf("big body: %s", r.raw)
	}
	if n := e.count(`SELECT count(*) FROM users WHERE email_norm = 'big@acme.test'`); n != 0 {
		t.Fatal("a too-large body was stored")
	}
}

// TestSeatLimit: a create over the limit is refused with a message that says so and an audit
// row the console shows; deactivating someone frees a seat for the next create.
func TestSeatLimit(t *testing.T) {
	e := newEnv(t)
	limit := int64(2)
	if _, err := e.svc.UpdateSettings(e.ctx, e.admin, org.SettingsPatch{SeatLimitSet: true, SeatLimit: &limit}); err != nil {
		t.Fatal(err)
	}
	first := e.createUser("first@acme.test", "f")
	r := e.call("POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"second@acme.test"}`).must(t, 403)
	if !strings.Contains(r.str("detail"), "seats") {
		t.Fatalf("seat refusal: %s", r.raw)
	}
	if n := e.count(`SELECT count(*) FROM users WHERE email_norm = 'second@acme.test'`); n != 0 {
		t.Fatal("the refused create left an account behind")
	}
	if l := e.audit("member.seat_refused"); len(l) != 1 || l[0].ActorName != "Entra provisioning" || !strings.Contains(l[0].Details, "second@acme.test") {
		t.Fatalf("refusal audit: %+v", l)
	}
	// Creating an inactive user takes no seat.
	e.call("POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"idle@acme.test","active":false}`).must(t, 201)
	e.call("PATCH", "/Users/"+first, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
		"Operations":[{"op":"replace","value":{"active":false}}]}`).must(t, 200)
	second := e.createUser("second@acme.test", "s")
	// Reactivating over the limit is refused the same way.
	r = e.call("PATCH", "/Users/"+first, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
		"Operations":[{"op":"replace","path":"active","value":true}]}`).must(t, 403)
	if !strings.Contains(r.str("detail"), "seats") || second == "" {
		t.Fatalf("reactivation refusal: %s", r.raw)
	}
}

// TestVersions: meta.version is the ETag; If-Match must name the current one on PUT, PATCH
// and DELETE, and If-None-Match gives 304.
func TestVersions(t *testing.T) {
	e := newEnv(t)
	id := e.createUser("v@acme.test", "v")
	r := e.call("GET", "/Users/"+id, "").must(t, 200)
	v1 := r.header.Get("Etag")
	if v1 == "" || v1 != r.str("meta.version") || !strings.HasPrefix(v1, `W/"`) {
		t.Fatalf("etag %q, meta.version %q", v1, r.str("meta.version"))
	}
	e.call("GET", "/Users/"+id, "", "If-None-Match", v1).must(t, 304)
	patch := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":"Boss"}]}`
	r = e.call("PATCH", "/Users/"+id, patch, "If-Match", v1).must(t, 200)
	v2 := r.header.Get("Etag")
	if v2 == v1 || v2 != r.str("meta.version") {
		t.Fatalf("version did not change: %s → %s", v1, v2)
	}
	put := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"v@acme.test","title":"Intern"}`
	for _, c := range []struct{ method, body string }{{"PATCH", patch}, {"PUT", put}, {"DELETE", ""}} {
		r = e.call(c.method, "/Users/"+id, c.body, "If-Match", v1).must(t, 412)
		if r.str("status") != "412" {
			t.Fatalf("%s with a stale version: %s", c.method, r.raw)
		}
	}
	if r = e.call("GET", "/Users/"+id, ""); r.str("title") != "Boss" {
		t.Fatalf("a refused change was stored: %s", r.raw)
	}
	// A change that changes nothing keeps the version.
	r = e.call("PATCH", "/Users/"+id, patch, "If-Match", v2).must(t, 200)
	if r.header.Get("Etag") != v2 {
		t.Fatalf("a no-op PATCH changed the version")
	}
	e.call("PUT", "/Users/"+id, put, "If-Match", `"nope", `+v2).must(t, 200)

	g := e.call("POST", "/Groups", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"G"}`).must(t, 201)
	gv := g.header.Get("Etag")
	add := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"` + id + `"}]}]}`
	v3 := e.call("GET", "/Users/"+id, "").must(t, 200).header.Get("Etag")
	e.call("PATCH", "/Groups/"+g.str("id"), add, "If-Match", gv).must(t, 204)
	// The user's groups are part of the user as SCIM shows it, so joining one is a new version.
	if r = e.call("GET", "/Users/"+id, "", "If-None-Match", v3).must(t, 200); r.header.Get("Etag") == v3 || r.str("groups.0.value") != g.str("id") {
		t.Fatalf("after joining a group: etag %s (was %s), %s", r.header.Get("Etag"), v3, r.raw)
	}
	e.call("PATCH", "/Groups/"+g.str("id"), add, "If-Match", gv).must(t, 412)
	e.call("DELETE", "/Groups/"+g.str("id"), "", "If-Match", gv).must(t, 412)
	e.call("DELETE", "/Groups/"+g.str("id"), "", "If-Match", "*").must(t, 204)
}

// TestExistingAccount: a person with an account elsewhere joins with that account; SCIM
// changes neither their password nor their address.
func TestExistingAccount(t *testing.T) {
	e := newEnv(t)
	other, err := e.svc.CreateOrg(e.ctx, org.SystemActor("cli", "test", ""), "globex", "Globex")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AddMember(e.ctx, org.SystemActor("cli", "test", other.ID), org.NewMember{Email: "bob@globex.test", Name: "Bob B",
		PasswordHash: "$argon2id$keep"}); err != nil {
		t.Fatal(err)
	}
	r := e.call("POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"Bob@Globex.test",
		"displayName":"Robert","password":"Secret123!"}`).must(t, 201)
	id := r.str("id")
	var hash, name string
	if err := e.db.R.QueryRowContext(e.ctx, `SELECT password_hash, name FROM users WHERE email_norm = 'bob@globex.test'`).Scan(&hash, &name); err != nil {
		t.Fatal(err)
	}
	if hash != "$argon2id$keep" || name != "Bob B" || e.count(`SELECT count(*) FROM users WHERE email_norm = 'bob@globex.test'`) != 1 {
		t.Fatalf("the existing account changed: hash %q, name %q", hash, name)
	}
	r = e.call("PATCH", "/Users/"+id, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
		"Operations":[{"op":"replace","path":"userName","value":"mallory@evil.test"}]}`).must(t, 400)
	if r.str("scimType") != "mutability" {
		t.Fatalf("address change of a shared account: %s", r.raw)
	}
	// And a SCIM user cannot take another person's address.
	mine := e.createUser("carl@acme.test", "c")
	e.call("PATCH", "/Users/"+mine, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
		"Operations":[{"op":"replace","path":"userName","value":"alice@acme.test"}]}`).must(t, 409)
}

// TestAccountWithoutOrganizationIsNotTakenOver: an account that belongs to no organization
// (a member removed from their last one, someone waiting for join approval) is joined, never
// owned: SCIM did not make it, so it cannot move its address (where a password reset would
// then go) or rename it.
func TestAccountWithoutOrganizationIsNotTakenOver(t *testing.T) {
	e := newEnv(t)
	now := time.Now().UnixMilli()
	victim := store.User{ID: store.NewID(), Email: "vic@acme.test", EmailNorm: "vic@acme.test", Name: "Vic",
		PasswordHash: "$argon2id$keep", EmailVerifiedAt: &now, CreatedAt: now - 1000}
	if err := store.CreateUser(e.ctx, e.db.W, victim); err != nil {
		t.Fatal(err)
	}
	id := e.call("POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"vic@acme.test"}`).must(t, 201).str("id")
	patch := func(op string) resp {
		return e.call("PATCH", "/Users/"+id, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[`+op+`]}`)
	}
	if r := patch(`{"op":"replace","path":"userName","value":"mallory@evil.test"}`).must(t, 400); r.str("scimType") != "mutability" {
		t.Fatalf("address change of an account SCIM did not make: %s", r.raw)
	}
	e.call("PUT", "/Users/"+id, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"mallory@evil.test"}`).must(t, 400)
	patch(`{"op":"replace","path":"displayName","value":"Mallory"}`).must(t, 200)
	got, err := store.GetUser(e.ctx, e.db.R, victim.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.EmailNorm != "vic@acme.test" || got.Name != "Vic" || got.PasswordHash != "$argon2id$keep" {
		t.Fatalf("the account changed: %+v", got)
	}
	// An account SCIM made itself stays the provider's to rename and readdress.
	mine := e.createUser("made@acme.test", "m")
	e.call("PATCH", "/Users/"+mine, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
		"Operations":[{"op":"replace","path":"userName","value":"moved@acme.test"}]}`).must(t, 200)
	if n := e.count(`SELECT count(*) FROM users WHERE email_norm = 'moved@acme.test'`); n != 1 {
		t.Fatalf("the account SCIM made was not readdressed (%d)", n)
	}
}

// TestRolesAndPolicy: the role comes from the policy, a provider may name one up to the
// maximum, delete_mode deactivate keeps the member, and a welcome email is queued.
func TestRolesAndPolicy(t *testing.T) {
	e := newEnv(t, org.SCIMPolicy{Role: "member", MaxRole: "admin", DeleteMode: "deactivate", WelcomeEmail: true})
	body := func(name, role string) string {
		return `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"` + name + `","roles":[{"value":"` + role + `","primary":true}]}`
	}
	r := e.call("POST", "/Users", body("adm@acme.test", "Admin")).must(t, 201)
	if r.str("roles.0.value") != "admin" {
		t.Fatalf("admin role: %s", r.raw)
	}
	r = e.call("POST", "/Users", body("own@acme.test", "owner")).must(t, 403)
	if !strings.Contains(r.str("detail"), "max_role") {
		t.Fatalf("owner role: %s", r.raw)
	}
	e.call("POST", "/Users", body("x@acme.test", "wizard")).must(t, 400)
	id := e.createUser("plain@acme.test", "p")
	if n := e.count(`SELECT count(*) FROM outbox WHERE template = 'welcome' AND to_addr = 'plain@acme.test'`); n != 1 {
		t.Fatalf("%d welcome emails", n)
	}
	// SCIM cannot change the owner's role, which is above its maximum.
	var owner string
	if err := e.db.R.QueryRowContext(e.ctx, `SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email_norm = 'alice@acme.test'`).Scan(&owner); err != nil {
		t.Fatal(err)
	}
	e.call("PATCH", "/Users/"+owner, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
		"Operations":[{"op":"replace","path":"roles","value":[{"value":"member"}]}]}`).must(t, 403)
	// Nor change the owner's address (a password reset would follow it).
	r = e.call("PATCH", "/Users/"+owner, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
		"Operations":[{"op":"replace","path":"userName","value":"mallory@evil.test"}]}`).must(t, 400)
	if r.str("scimType") != "mutability" || e.count(`SELECT count(*) FROM users WHERE email_norm = 'alice@acme.test'`) != 1 {
		t.Fatalf("owner address change: %s", r.raw)
	}
	// Nor deactivate the last owner.
	e.call("PATCH", "/Users/"+owner, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
		"Operations":[{"op":"replace","path":"active","value":false}]}`).must(t, 409)
	e.call("DELETE", "/Users/"+id, "").must(t, 204)
	r = e.call("GET", "/Users/"+id, "").must(t, 200)
	if r.at("active") != false {
		t.Fatalf("delete_mode deactivate: %s", r.raw)
	}
	if l := e.audit("member.deactivated"); len(l) != 1 {
		t.Fatalf("deactivation audit: %+v", l)
	}
}

// With a custom role as scim.max_role, SCIM cannot grant another custom role that can do more,
// though all custom roles share one rank.
func TestMaxRoleCustomCapsOtherCustomRoles(t *testing.T) {
	e := newEnv(t, org.SCIMPolicy{Role: "member", MaxRole: "hrs", DeleteMode: "delete"})
	for key, perms := range map[string][]string{"hrs": {"members:manage"}, "ops": {"members:manage", "tokens:manage"}} {
		if _, err := e.svc.CreateRole(e.ctx, e.admin, key, key, perms); err != nil {
			t.Fatal(err)
		}
	}
	body := func(name, role string) string {
		return `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"` + name + `","roles":[{"value":"` + role + `"}]}`
	}
	r := e.call("POST", "/Users", body("oz@acme.test", "ops")).must(t, 403)
	if !strings.Contains(r.str("detail"), "max_role") || e.count(`SELECT count(*) FROM users WHERE email_norm = 'oz@acme.test'`) != 0 {
		t.Fatalf("ops above a custom max_role: %s", r.raw)
	}
	if r := e.call("POST", "/Users", body("hal@acme.test", "hrs")).must(t, 201); r.str("roles.0.value") != "hrs" {
		t.Fatalf("the max_role itself: %s", r.raw)
	}
	// Nor change the role of someone whose role can do more than the maximum.
	m, err := e.svc.AddMember(e.ctx, e.admin, org.NewMember{Email: "olly@acme.test", Name: "Olly", Role: "ops"})
	if err != nil {
		t.Fatal(err)
	}
	r = e.call("PATCH", "/Users/"+m.ID, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
		"Operations":[{"op":"replace","path":"roles","value":[{"value":"member"}]}]}`).must(t, 403)
	if !strings.Contains(r.str("detail"), "can do more than SCIM may change") {
		t.Fatalf("changing an ops member's role: %s", r.raw)
	}
}

// A scim.role or scim.max_role that names no role of the organization is Lobby's own
// misconfiguration: the identity provider is told so (500, naming the setting), not that its
// request was wrong, and nobody is created.
func TestMisconfiguredRoleNamesTheSetting(t *testing.T) {
	for _, tc := range []struct {
		policy  org.SCIMPolicy
		setting string
	}{
		{org.SCIMPolicy{Role: "bogus", MaxRole: "admin", DeleteMode: "delete"}, "scim.role"},
		{org.SCIMPolicy{Role: "member", MaxRole: "bogus", DeleteMode: "delete"}, "scim.max_role"},
		{org.SCIMPolicy{Role: "member", MaxRole: " Bogus", DeleteMode: "delete"}, "scim.max_role"},
	} {
		t.Run(tc.setting, func(t *testing.T) {
			e := newEnv(t, tc.policy)
			r := e.call("POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"new@acme.test"}`).must(t, 500)
			if d := r.str("detail"); !strings.Contains(strings.ToLower(d), tc.setting+` is "`) || !strings.Contains(strings.ToLower(d), "bogus") ||
				!strings.Contains(d, "(use one of owner, admin, member)") || strings.Contains(d, "does not exist") {
				t.Errorf("%s", r.raw)
			}
			if e.count(`SELECT count(*) FROM users WHERE email_norm = 'new@acme.test'`) != 0 {
				t.Error("the user was created")
			}
		})
	}
}

// Names an identity provider sends are folded to one line, not refused: a stray line break
// or control character must not stop a person's provisioning, nor reach pages and exports.
func TestProviderNamesAreFoldedToOneLine(t *testing.T) {
	e := newEnv(t)
	r := e.call("POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"eve@acme.test",
		"displayName":"Eve\nAdams\u0000","title":"Head\tof\rThings"}`).must(t, 201)
	if r.str("displayName") != "Eve Adams" || r.str("title") != "Head of Things" {
		t.Fatalf("%s", r.raw)
	}
	if e.count(`SELECT count(*) FROM users WHERE name = 'Eve Adams'`) != 1 {
		t.Fatal("the account's name is not the folded one")
	}
}
