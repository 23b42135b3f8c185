package scim_test

import (
	"strings"
	"testing"
)

// TestOktaUsers replays Okta's user sequence: existence check, create with a password, PUT
// updates (which leave out externalId), deactivation by PATCH and by PUT.
func TestOktaUsers(t *testing.T) {
	e := newEnv(t)
	r := e.call("GET", filterPath("/Users", `userName eq "test.user@okta.local"`, "startIndex=1", "count=100"), "").must(t, 200)
	if r.num("totalResults") != 0 || r.num("startIndex") != 1 || r.num("itemsPerPage") != 0 || !strings.Contains(r.raw, `"Resources":[]`) {
		t.Fatalf("existence check: %s", r.raw)
	}
	r = e.call("POST", "/Users", fixture(t, "okta/create_user.json")).must(t, 201)
	id := r.str("id")
	if r.str("userName") != "test.user@okta.local" || r.str("displayName") != "Test User" || r.str("locale") != "en-US" ||
		r.str("externalId") != "00ujl29u0le5T6Aj10h7" {
		t.Fatalf("created: %s", r.raw)
	}
	// Okta's password is never stored: the person signs in another way or sets one themselves.
	if n := e.count(`SELECT count(*) FROM users WHERE email_norm = 'test.user@okta.local' AND password_hash IS NULL`); n != 1 {
		t.Fatal("the SCIM password was stored")
	}
	r = e.call("GET", filterPath("/Users", `userName eq "test.user@okta.local"`, "startIndex=1", "count=100"), "").must(t, 200)
	if r.num("totalResults") != 1 || r.str("Resources.0.id") != id {
		t.Fatalf("lookup after create: %s", r.raw)
	}

	put := strings.ReplaceAll(fixture(t, "okta/update_user.json"), "23a35c27-23d3-4c03-b4c5-6443c09e7173", id)
	r = e.call("PUT", "/Users/"+id, put).must(t, 200)
	if r.str("name.givenName") != "Another" || r.str("name.middleName") != "Excited" || r.str("externalId") != "00ujl29u0le5T6Aj10h7" ||
		r.at("active") != true {
		t.Fatalf("after PUT: %s", r.raw)
	}
	r = e.call("PATCH", "/Users/"+id, fixture(t, "okta/update_user_patch.json")).must(t, 200)
	if r.at("active") != false {
		t.Fatalf("after deactivating PATCH: %s", r.raw)
	}
	if n := e.count(`SELECT count(*) FROM memberships WHERE id = ? AND status = 'deactivated'`, id); n != 1 {
		t.Fatal("the membership is not deactivated")
	}
	// Okta also deactivates and reactivates with PUT.
	r = e.call("PUT", "/Users/"+id, put).must(t, 200)
	if r.at("active") != true {
		t.Fatalf("after reactivating PUT: %s", r.raw)
	}
	r = e.call("PUT", "/Users/"+id, setField(t, put, "active", false)).must(t, 200)
	if r.at("active") != false {
		t.Fatalf("after deactivating PUT: %s", r.raw)
	}
	if len(e.audit("member.deactivated")) != 2 || len(e.audit("member.reactivated")) != 1 {
		t.Fatalf("audit: %d deactivations, %d reactivations", len(e.audit("member.deactivated")), len(e.audit("member.reactivated")))
	}
}

// TestOktaGroups replays Okta's group push: create, membership PATCH in every form, rename.
func TestOktaGroups(t *testing.T) {
	e := newEnv(t)
	u1, u2 := e.createUser("test.user@okta.local", "o1"), e.createUser("other.user@okta.local", "o2")
	r := e.call("POST", "/Groups", fixture(t, "okta/create_group.json")).must(t, 201)
	gid := r.str("id")
	if r.str("displayName") != "Test SCIMv2" {
		t.Fatalf("created: %s", r.raw)
	}
	// remove members[value eq u2] (not in the group), add u1, then replace with both.
	patch := strings.NewReplacer("89bb1940-b905-4575-9e7f-6f887cfb368e", u2, "23a35c27-23d3-4c03-b4c5-6443c09e7173", u1).
		Replace(fixture(t, "okta/update_group_membership.json"))
	e.call("PATCH", "/Groups/"+gid, patch).must(t, 204)
	r = e.call("GET", "/Groups/"+gid, "").must(t, 200)
	if len(r.at("members").([]any)) != 2 {
		t.Fatalf("after membership patch: %s", r.raw)
	}
	e.call("PATCH", "/Groups/"+gid, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
		"Operations":[{"op":"remove","path":"members[value eq \"`+u1+`\"]"}]}`).must(t, 204)
	r = e.call("GET", "/Groups/"+gid, "")
	if len(r.at("members").([]any)) != 1 || r.str("members.0.value") != u2 {
		t.Fatalf("after removing by filter: %s", r.raw)
	}
	// The recorded rename carries the id in the value, which is ignored.
	e.call("PATCH", "/Groups/"+gid, strings.ReplaceAll(fixture(t, "okta/update_group_name.json"), "Test SCIMv2", "Test SCIMv20")).must(t, 204)
	r = e.call("GET", filterPath("/Groups", `displayName eq "Test SCIMv20"`), "").must(t, 200)
	if r.num("totalResults") != 1 || r.str("Resources.0.id") != gid || len(r.at("Resources.0.members").([]any)) != 1 {
		t.Fatalf("after rename: %s", r.raw)
	}
	// Removing every member with a bare path empties the group.
	e.call("PATCH", "/Groups/"+gid, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
		"Operations":[{"op":"remove","path":"members"}]}`).must(t, 204)
	if r = e.call("GET", "/Groups/"+gid, ""); len(r.at("members").([]any)) != 0 {
		t.Fatalf("after removing all: %s", r.raw)
	}
	// PUT replaces the whole group.
	r = e.call("PUT", "/Groups/"+gid, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Pushed",
		"members":[{"value":"`+u1+`"}]}`).must(t, 200)
	if r.str("displayName") != "Pushed" || len(r.at("members").([]any)) != 1 || r.str("members.0.value") != u1 {
		t.Fatalf("after PUT: %s", r.raw)
	}
	// Teams Lobby manages itself are not groups SCIM can see or change.
	team, err := e.svc.CreateTeam(e.ctx, e.admin, "Console team")
	if err != nil {
		t.Fatal(err)
	}
	e.call("GET", "/Groups/"+team.ID, "").must(t, 404)
	e.call("DELETE", "/Groups/"+team.ID, "").must(t, 404)
	if r = e.call("GET", "/Groups", "").must(t, 200); r.num("totalResults") != 1 {
		t.Fatalf("group list shows console teams: %s", r.raw)
	}
}
