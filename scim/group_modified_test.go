package scim_test

import (
	"testing"
	"time"
)

// TestGroupChangesWhenAMemberIsDeleted: deleting a user takes them out of their groups, and
// those groups say they changed then (meta.lastModified, and a new version).
func TestGroupChangesWhenAMemberIsDeleted(t *testing.T) {
	e := newEnv(t)
	u := e.createUser("gone@acme.test", "g")
	g := e.call("POST", "/Groups", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Crew",
		"members":[{"value":"`+u+`"}]}`).must(t, 201)
	before, version := g.str("meta.lastModified"), g.header.Get("Etag")
	e.clock.Add(time.Hour)
	e.call("DELETE", "/Users/"+u, "").must(t, 204)
	after := e.call("GET", "/Groups/"+g.str("id"), "").must(t, 200)
	if after.str("meta.lastModified") == before || after.header.Get("Etag") == version || after.at("members") != nil &&
		len(after.at("members").([]any)) != 0 {
		t.Fatalf("the group after its member was deleted: %s (was modified %s)", after.raw, before)
	}
}
