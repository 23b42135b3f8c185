package scim_test

import (
	"strings"
	"testing"
	"time"
)

// hostileMeta is a meta a provider (or someone with its token) might send to backdate a
// resource, pin its version or point its location elsewhere.
const hostileMeta = `"meta":{"resourceType":"Group","created":"2001-01-01T00:00:00Z","lastModified":"2001-01-02T00:00:00Z",` +
	`"version":"W/\"forged\"","location":"https://evil.example/scim/v2/Users/forged"}`

// checkServerMeta fails unless the answer's id and meta are Lobby's own.
func checkServerMeta(t *testing.T, r resp, kind, id, created, modified string) {
	t.Helper()
	if r.str("id") != id {
		t.Errorf("%s id %q; want %q", kind, r.str("id"), id)
	}
	if got := r.str("meta.resourceType"); got != kind {
		t.Errorf("%s meta.resourceType %q", kind, got)
	}
	if got := r.str("meta.created"); got != created {
		t.Errorf("%s meta.created %q; want %q", kind, got, created)
	}
	if got := r.str("meta.lastModified"); got != modified {
		t.Errorf("%s meta.lastModified %q; want %q", kind, got, modified)
	}
	if got := r.str("meta.location"); got != "https://lobby.example/scim/v2/"+kind+"s/"+id {
		t.Errorf("%s meta.location %q", kind, got)
	}
	if v := r.str("meta.version"); v == "" || strings.Contains(v, "forged") || r.header.Get("ETag") != v {
		t.Errorf("%s meta.version %q, ETag %q", kind, v, r.header.Get("ETag"))
	}
}

// id and meta are the server's: in a POST or PUT body they are ignored, so a provider can
// neither choose an id (to collide with or shadow another member), nor rewrite another
// resource by naming its id in a body sent to its own, nor forge times, version or location.
func TestUsersIgnoreIDAndMetaInBodies(t *testing.T) {
	e := newEnv(t)
	at := func() string { return e.clock.Now().UTC().Format(time.RFC3339) }
	created := at()
	victim := e.createUser("victim@acme.test", "victim-ext")
	user := func(userName, id string) string {
		return `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"` + id + `","userName":"` + userName +
			`","active":true,"name":{"givenName":"Mal","familyName":"Lory"},` + hostileMeta + `}`
	}
	for _, chosen := range []string{victim, "chosen-by-the-provider"} {
		name := "mal-" + strings.ReplaceAll(chosen, "-", "") + "@acme.test"
		r := e.call("POST", "/Users", user(name, chosen)).must(t, 201)
		if r.str("id") == chosen || r.str("id") == "" {
			t.Fatalf("POST /Users with id %q made a member with id %q", chosen, r.str("id"))
		}
		checkServerMeta(t, r, "User", r.str("id"), created, created)
		if got := e.call("GET", "/Users/"+r.str("id"), "").must(t, 200); got.str("userName") != name {
			t.Fatalf("the new member reads back as %q", got.str("userName"))
		}
	}
	e.call("GET", "/Users/chosen-by-the-provider", "").must(t, 404)

	// A PUT to one member whose body names another changes only the one in the path.
	e.clock.Add(time.Hour)
	own := e.createUser("own@acme.test", "own-ext")
	ownCreated := at()
	e.clock.Add(time.Hour)
	r := e.call("PUT", "/Users/"+own, user("own@acme.test", victim)).must(t, 200)
	checkServerMeta(t, r, "User", own, ownCreated, at())
	if got := e.call("GET", "/Users/"+victim, "").must(t, 200); got.str("userName") != "victim@acme.test" ||
		got.str("name.givenName") != "Test" || got.str("meta.created") != created {
		t.Fatalf("the member named in the body changed: %s", got.raw)
	}
	if got := e.call("GET", "/Users/"+own, "").must(t, 200); got.str("name.givenName") != "Mal" {
		t.Fatalf("the member in the path did not change: %s", got.raw)
	}
}

// The same for groups.
func TestGroupsIgnoreIDAndMetaInBodies(t *testing.T) {
	e := newEnv(t)
	at := func() string { return e.clock.Now().UTC().Format(time.RFC3339) }
	created := at()
	group := func(name, id string) string {
		return `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"` + id + `","displayName":"` + name + `",` + hostileMeta + `}`
	}
	victim := e.call("POST", "/Groups", group("Finance", "")).must(t, 201).str("id")
	for _, chosen := range []string{victim, "chosen-by-the-provider"} {
		r := e.call("POST", "/Groups", group("Shadow "+chosen, chosen)).must(t, 201)
		if r.str("id") == chosen || r.str("id") == "" {
			t.Fatalf("POST /Groups with id %q made a group with id %q", chosen, r.str("id"))
		}
		checkServerMeta(t, r, "Group", r.str("id"), created, created)
	}
	e.call("GET", "/Groups/chosen-by-the-provider", "").must(t, 404)

	e.clock.Add(time.Hour)
	own := e.call("POST", "/Groups", group("Sales", "")).must(t, 201).str("id")
	ownCreated := at()
	e.clock.Add(time.Hour)
	r := e.call("PUT", "/Groups/"+own, group("Sales EMEA", victim)).must(t, 200)
	checkServerMeta(t, r, "Group", own, ownCreated, at())
	if got := e.call("GET", "/Groups/"+victim, "").must(t, 200); got.str("displayName") != "Finance" || got.str("meta.created") != created {
		t.Fatalf("the group named in the body changed: %s", got.raw)
	}
	if got := e.call("GET", "/Groups/"+own, "").must(t, 200); got.str("displayName") != "Sales EMEA" {
		t.Fatalf("the group in the path did not change: %s", got.raw)
	}
}
