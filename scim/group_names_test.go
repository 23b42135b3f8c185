package scim_test

import (
	"strings"
	"testing"
)

// TestGroupNamesAreKeptAsSent: a provider finds its group again by the name it sent, however
// it is spaced, and Entra's names of up to 256 characters fit.
func TestGroupNamesAreKeptAsSent(t *testing.T) {
	e := newEnv(t)
	group := func(name string) string {
		return `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"` + name + `"}`
	}
	for _, name := range []string{"Sales  EMEA ", strings.Repeat("Entra group ", 22)[:256]} {
		r := e.call("POST", "/Groups", group(name)).must(t, 201)
		if r.str("displayName") != name {
			t.Fatalf("created as %q, sent %q", r.str("displayName"), name)
		}
		found := e.call("GET", filterPath("/Groups", `displayName eq "`+name+`"`, "excludedAttributes=members"), "").must(t, 200)
		if found.num("totalResults") != 1 || found.str("Resources.0.id") != r.str("id") {
			t.Fatalf("lookup by the name sent (%q): %s", name, found.raw)
		}
	}
	// The same name again, differing only in case or surrounding space, is the same group.
	if r := e.call("POST", "/Groups", group(" sales  emea")).must(t, 409); r.str("scimType") != "uniqueness" ||
		!strings.Contains(r.str("detail"), "already exists") {
		t.Fatalf("duplicate: %s", r.raw)
	}
	for _, bad := range []string{"   ", strings.Repeat("x", 257), `Line\nbreak`} {
		if r := e.call("POST", "/Groups", group(bad)).must(t, 400); r.str("scimType") != "invalidValue" {
			t.Fatalf("%q: %s", bad, r.raw)
		}
	}
}

// TestGroupNameOfALobbyTeam: a team made in Lobby is not a group the provider can see, so when
// it holds the name the provider wants, the answer says so and what to do.
func TestGroupNameOfALobbyTeam(t *testing.T) {
	e := newEnv(t)
	if _, err := e.svc.CreateTeam(e.ctx, e.admin, "Sales"); err != nil {
		t.Fatal(err)
	}
	r := e.call("POST", "/Groups", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"SALES"}`).must(t, 409)
	if !strings.Contains(r.str("detail"), `"Sales" is the name of a team made in Lobby`) || !strings.Contains(r.str("detail"), "rename or delete") {
		t.Fatalf("create: %s", r.raw)
	}
	id := e.call("POST", "/Groups", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Marketing"}`).must(t, 201).str("id")
	r = e.call("PATCH", "/Groups/"+id, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
		"Operations":[{"op":"replace","path":"displayName","value":"sales"}]}`).must(t, 409)
	if !strings.Contains(r.str("detail"), "made in Lobby") {
		t.Fatalf("rename: %s", r.raw)
	}
	if n := e.count(`SELECT count(*) FROM teams WHERE name = 'Marketing'`); n != 1 {
		t.Fatalf("the refused rename changed the group (%d named Marketing)", n)
	}
}
