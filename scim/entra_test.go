package scim_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/store"
)

// setField replaces top-level fields of a JSON object body.
func setField(t *testing.T, body string, kv ...any) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func filterPath(base, filter string, extra ...string) string {
	p := base + "?filter=" + url.QueryEscape(filter)
	for _, x := range extra {
		p += "&" + x
	}
	return p
}

// TestEntraUsers replays what Entra ID's provisioning service sends for a user, from the
// connection test to deletion.
func TestEntraUsers(t *testing.T) {
	e := newEnv(t)
	// The connection test asks for a user that does not exist.
	r := e.call("GET", filterPath("/Users", `userName eq "non-existent user"`), "").must(t, 200)
	if r.num("totalResults") != 0 || !strings.Contains(r.raw, `"Resources":[]`) {
		t.Fatalf("empty lookup: %s", r.raw)
	}

	// The validator's userName is not an address: Lobby says what it needs.
	body := fixture(t, "azuread/create_user.json")
	r = e.call("POST", "/Users", body).must(t, 400)
	if r.str("scimType") != "invalidValue" || !strings.Contains(r.str("detail"), "userName") || r.str("status") != "400" {
		t.Fatalf("non-address userName: %s", r.raw)
	}
	body = setField(t, body, "userName", "Test_User_ab6490ee@TestUser.com")
	r = e.call("POST", "/Users", body).must(t, 201)
	id := r.str("id")
	if r.str("userName") != "test_user_ab6490ee@testuser.com" || r.str("externalId") != "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef" ||
		r.at("active") != true || r.str("name.familyName") != "familyName" ||
		r.str("emails.0.value") != "test_user_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com" ||
		r.str("meta.version") == "" || r.header.Get("Etag") != r.str("meta.version") ||
		r.header.Get("Location") != "https://lobby.example/scim/v2/Users/"+id || r.str("roles.0.value") != "member" {
		t.Fatalf("created user: %s (headers %v)", r.raw, r.header)
	}

	// Entra looks the user up by userName (any case), externalId and its work email.
	for _, f := range []string{`userName eq "TEST_USER_AB6490EE@testuser.com"`, `externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"`,
		`emails[type eq "work"].value eq "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com"`} {
		r = e.call("GET", filterPath("/Users", f), "").must(t, 200)
		if r.num("totalResults") != 1 || r.str("Resources.0.id") != id || r.num("itemsPerPage") != 1 {
			t.Fatalf("lookup %s: %s", f, r.raw)
		}
	}
	e.call("GET", "/Users/"+id, "").must(t, 200)

	// A session of the person ends when Entra deactivates them.
	var userID string
	if err := e.db.R.QueryRowContext(e.ctx, `SELECT user_id FROM memberships WHERE id = ?`, id).Scan(&userID); err != nil {
		t.Fatal(err)
	}
	if err := e.db.Tx(e.ctx, func(q store.Q) error {
		return store.CreateSession(e.ctx, q, store.Session{IDHash: "h1", UserID: userID, CSRF: "c", CreatedAt: 1, LastSeenAt: 1, ExpiresAt: 1 << 50})
	}); err != nil {
		t.Fatal(err)
	}
	used, _, _ := e.svc.Seats(e.ctx, e.org.ID)
	r = e.call("PATCH", "/Users/"+id, fixture(t, "azuread/update_user.json")).must(t, 200)
	if r.str("userName") != "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com" || r.str("name.familyName") != "updatedFamilyName" ||
		r.str("name.givenName") != "givenName" || r.at("active") != false || r.str("emails.0.value") != "updatedemail@microsoft.com" ||
		len(r.at("emails").([]any)) != 1 {
		t.Fatalf("patched user: %s", r.raw)
	}
	if n := e.count(`SELECT count(*) FROM sessions WHERE user_id = ?`, userID); n != 0 {
		t.Fatalf("%d sessions survived deactivation", n)
	}
	if after, _, _ := e.svc.Seats(e.ctx, e.org.ID); after != used-1 {
		t.Fatalf("seats used %d → %d, want one freed", used, after)
	}
	// Deactivated users stay visible, and active can come back as Entra's string "True".
	r = e.call("GET", filterPath("/Users", `userName eq "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"`), "").must(t, 200)
	if r.num("totalResults") != 1 || r.at("Resources.0.active") != false {
		t.Fatalf("deactivated lookup: %s", r.raw)
	}
	r = e.call("PATCH", "/Users/"+id, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
		"Operations":[{"op":"Replace","path":"active","value":"True"},
		{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"`+id+`"},
		{"op":"Add","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"Sales","title":"Rep"}}]}`).must(t, 200)
	if r.at("active") != true || !strings.Contains(r.raw, `"manager":{"value":"`+id+`"}`) ||
		r.enterprise("department") != "Sales" || r.str("title") != "Rep" {
		t.Fatalf("reactivated with manager: %s", r.raw)
	}

	e.call("DELETE", "/Users/"+id, "").must(t, 204)
	e.call("GET", "/Users/"+id, "").must(t, 404)
	for _, action := range []string{"member.added", "member.deactivated", "member.reactivated", "member.deleted", "member.email_changed"} {
		l := e.audit(action)
		if len(l) == 0 || l[0].ActorName != "Entra provisioning" || l[0].ActorKind != "scim_token" {
			t.Fatalf("audit %s: %+v", action, l)
		}
	}
}

// TestEntraGroups replays Entra ID's group sequence: create empty, look up by displayName
// without members, rename and change members in one PATCH.
func TestEntraGroups(t *testing.T) {
	e := newEnv(t)
	u1, u2 := e.createUser("one@acme.test", "x1"), e.createUser("two@acme.test", "x2")
	r := e.call("POST", "/Groups", fixture(t, "azuread/create_group.json")).must(t, 201)
	gid := r.str("id")
	if r.str("displayName") != "displayName" || r.str("externalId") != "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159" || len(r.at("members").([]any)) != 0 {
		t.Fatalf("created group: %s", r.raw)
	}
	r = e.call("GET", filterPath("/Groups", `displayName eq "DisplayName"`, "excludedAttributes=members"), "").must(t, 200)
	if r.num("totalResults") != 1 || r.str("Resources.0.id") != gid || r.at("Resources.0.members") != nil {
		t.Fatalf("group lookup: %s", r.raw)
	}
	// A second group of the same name (any case) is a uniqueness conflict.
	r = e.call("POST", "/Groups", setField(t, fixture(t, "azuread/create_group.json"), "displayName", "DISPLAYNAME")).must(t, 409)
	if r.str("scimType") != "uniqueness" {
		t.Fatalf("duplicate group: %s", r.raw)
	}

	// The recorded PATCH renames, adds a member and removes it again, in that order.
	patch := strings.ReplaceAll(fixture(t, "azuread/update_group.json"), "f648f8d5ea4e4cd38e9c", u1)
	r = e.call("PATCH", "/Groups/"+gid, patch).must(t, 204)
	r = e.call("GET", "/Groups/"+gid, "").must(t, 200)
	if r.str("displayName") != "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName" || len(r.at("members").([]any)) != 0 {
		t.Fatalf("after the recorded patch: %s", r.raw)
	}
	ops := func(o string) string {
		return `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[` + o + `]}`
	}
	e.call("PATCH", "/Groups/"+gid, ops(`{"op":"Add","path":"members","value":[{"value":"`+u1+`"},{"value":"`+u2+`"}]}`)).must(t, 204)
	r = e.call("GET", "/Groups/"+gid, "")
	if len(r.at("members").([]any)) != 2 || r.str("members.0.display") == "" {
		t.Fatalf("after adding two: %s", r.raw)
	}
	// Entra removes with a value list; only the listed member goes.
	e.call("PATCH", "/Groups/"+gid, ops(`{"op":"Remove","path":"members","value":[{"value":"`+u1+`"}]}`)).must(t, 204)
	r = e.call("GET", "/Groups/"+gid, "")
	if len(r.at("members").([]any)) != 1 || r.str("members.0.value") != u2 {
		t.Fatalf("after removing one by value list: %s", r.raw)
	}
	// The user's groups attribute lists the group.
	r = e.call("GET", "/Users/"+u2, "")
	if r.str("groups.0.value") != gid {
		t.Fatalf("user's groups: %s", r.raw)
	}
	// A member id from nowhere is refused and changes nothing.
	r = e.call("PATCH", "/Groups/"+gid, ops(`{"op":"Add","path":"members","value":[{"value":"nobody"}]}`)).must(t, 400)
	if !strings.Contains(r.str("detail"), "nobody") {
		t.Fatalf("unknown member: %s", r.raw)
	}
	e.call("DELETE", "/Groups/"+gid, "").must(t, 204)
	e.call("GET", "/Groups/"+gid, "").must(t, 404)
	if n := e.count(`SELECT count(*) FROM memberships WHERE id IN (?, ?)`, u1, u2); n != 2 {
		t.Fatalf("deleting the group removed members: %d left", n)
	}
	for _, action := range []string{"team.created", "team.renamed", "team.members_changed", "team.deleted"} {
		if l := e.audit(action); len(l) == 0 || l[0].ActorName != "Entra provisioning" {
			t.Fatalf("audit %s: %+v", action, l)
		}
	}
}
