package scim_test

import (
	"strings"
	"testing"
)

// A group read without its members (excludedAttributes=members, as Entra's lookups ask) reads
// only their ids, yet carries the same version as the whole group, so that If-Match with it
// works; and the version still moves when the members change.
func TestGroupWithoutMembersHasTheWholeGroupsVersion(t *testing.T) {
	e := newEnv(t)
	var ids []string
	for _, n := range []string{"zed", "amy", "kim"} {
		ids = append(ids, e.createUser(n+"@acme.test", "x-"+n))
	}
	gid := e.call("POST", "/Groups", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Crew",
		"members":[{"value":"`+strings.Join(ids, `"},{"value":"`)+`"}]}`).must(t, 201).str("id")
	versions := func() (whole, lean string) {
		w := e.call("GET", filterPath("/Groups", `displayName eq "Crew"`), "").must(t, 200)
		l := e.call("GET", filterPath("/Groups", `displayName eq "Crew"`, "excludedAttributes=members"), "").must(t, 200)
		if len(w.at("Resources.0.members").([]any)) == 0 || l.at("Resources.0.members") != nil {
			t.Fatalf("members: whole %s, lean %s", w.raw, l.raw)
		}
		return w.str("Resources.0.meta.version"), l.str("Resources.0.meta.version")
	}
	whole, lean := versions()
	if whole == "" || whole != lean {
		t.Fatalf("version %q with members, %q without", whole, lean)
	}
	e.call("PATCH", "/Groups/"+gid, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
		"Operations":[{"op":"remove","path":"members[value eq \"`+ids[1]+`\"]"}]}`, "If-Match", lean).must(t, 204)
	whole2, lean2 := versions()
	if whole2 != lean2 || lean2 == lean {
		t.Fatalf("after a change: %q with members, %q without (was %q)", whole2, lean2, lean)
	}
}
