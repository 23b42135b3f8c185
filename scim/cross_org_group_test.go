package scim_test

import (
	"testing"
	"time"

	"github.com/lobby/lobby/app/org"
)

// TestAnotherOrganizationsGroupCannotBeChanged: a SCIM token of one organization cannot rename,
// replace, empty or delete a group of another organization, even knowing its id: each request
// answers 404 as for a group that does not exist, and the group stays as it was.
func TestAnotherOrganizationsGroupCannotBeChanged(t *testing.T) {
	e := newEnv(t) // organization A, acme, with e.token
	beta, err := e.svc.CreateOrg(e.ctx, org.SystemActor("cli", "test", ""), "beta", "Beta")
	if err != nil {
		t.Fatal(err)
	}
	betaAuth := "Bearer " + e.newToken(beta.ID, "Beta provisioning")
	betaMember := e.call("POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bo@beta.test"}`,
		"Authorization", betaAuth).must(t, 201).str("id")
	group := e.call("POST", "/Groups", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Beta crew",
		"externalId":"beta-crew","members":[{"value":"`+betaMember+`"}]}`, "Authorization", betaAuth).must(t, 201).str("id")
	before := e.call("GET", "/Groups/"+group, "", "Authorization", betaAuth).must(t, 200)
	acmeMember := e.createUser("al@acme.test", "al")
	e.clock.Add(time.Hour) // a change now would show in meta.lastModified

	for _, c := range []struct{ what, method, body string }{
		{"PATCH renaming it and adding a member", "PATCH", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
			"Operations":[{"op":"replace","path":"displayName","value":"Taken"},{"op":"add","path":"members","value":[{"value":"` + acmeMember + `"}]}]}`},
		{"PATCH removing its members", "PATCH", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
			"Operations":[{"op":"remove","path":"members"}]}`},
		{"PUT", "PUT", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Taken","externalId":"stolen","members":[]}`},
		{"DELETE", "DELETE", ""},
	} {
		r := e.call(c.method, "/Groups/"+group, c.body) // with acme's token
		if r.status != 404 || r.str("status") != "404" {
			t.Errorf("%s of beta's group with acme's token: %d %s; want 404", c.what, r.status, r.raw)
		}
	}

	after := e.call("GET", "/Groups/"+group, "", "Authorization", betaAuth)
	if after.status != 200 || after.str("displayName") != "Beta crew" || after.str("externalId") != "beta-crew" ||
		after.header.Get("Etag") != before.header.Get("Etag") || after.str("meta.lastModified") != before.str("meta.lastModified") ||
		after.str("members.0.value") != betaMember || after.at("members.1") != nil {
		t.Fatalf("beta's group after acme's requests: %d %s\nbefore: %s", after.status, after.raw, before.raw)
	}
	// Nor did the requests make or change anything in acme.
	if n := e.count(`SELECT count(*) FROM teams WHERE org_id = ?`, e.org.ID); n != 0 {
		t.Fatalf("acme has %d teams after the requests on beta's group", n)
	}
}
