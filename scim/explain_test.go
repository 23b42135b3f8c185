package scim_test

import (
	"strings"
	"testing"
)

// The commonest mistakes in a request are answered with what was wrong, not the library's
// "the request body message structure was invalid": the schemas, active, the operation, an
// empty list of operations, a filter that cannot be read or names an attribute Lobby does not
// filter on. Nothing is created or changed by them.
func TestMistakesAreNamed(t *testing.T) {
	e := newEnv(t)
	id := e.createUser("p@acme.test", "p")
	const user = `"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]`
	const patch = `"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]`
	for _, tc := range []struct {
		method, path, body, scimType, want string
	}{
		{"POST", "/Users", `{"schemas":["urn:wrong"],"userName":"x@acme.test"}`, "invalidSyntax", `schemas must list "urn:ietf:params:scim:schemas:core:2.0:User"`},
		{"POST", "/Users", `{"userName":"x@acme.test"}`, "invalidSyntax", "schemas must list"},
		{"POST", "/Groups", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"displayName":"G"}`, "invalidSyntax", "core:2.0:Group"},
		{"POST", "/Users", `[]`, "invalidSyntax", "must be a JSON object"},
		{"POST", "/Users", `{` + user + `,"userName":"x@acme.test","active":"yes"}`, "invalidValue", `active must be true or false, not "yes"`},
		{"PUT", "/Users/" + id, `{` + user + `,"userName":"p@acme.test","active":1}`, "invalidValue", "active must be true or false, not 1"},
		{"PATCH", "/Users/" + id, `{` + patch + `,"Operations":[{"op":"frobnicate","path":"active","value":false}]}`, "invalidValue", `Operations[0].op must be add, remove or replace, not "frobnicate"`},
		{"PATCH", "/Users/" + id, `{` + patch + `,"Operations":[]}`, "invalidValue", "at least one operation"},
		{"PATCH", "/Users/" + id, `{"Operations":[{"op":"replace","path":"active","value":false}]}`, "invalidSyntax", "PatchOp"},
		{"GET", `/Users?filter=bogus+eq+"x"`, "", "invalidFilter", "bogus"},
		{"GET", `/Users?filter=userName+eq`, "", "invalidFilter", "cannot be read"},
		{"GET", `/Groups?filter=userName+eq+"x"`, "", "invalidFilter", "username"},
	} {
		r := e.call(tc.method, tc.path, tc.body).must(t, 400)
		if r.str("scimType") != tc.scimType || !strings.Contains(r.str("detail"), tc.want) {
			t.Errorf("%s %s %s: %s", tc.method, tc.path, tc.body, r.raw)
		}
	}
	if e.count(`SELECT count(*) FROM users WHERE email_norm = 'x@acme.test'`) != 0 || e.count(`SELECT count(*) FROM memberships WHERE status = 'active'`) != 2 {
		t.Fatal("a refused request changed something")
	}
	// What Entra sends still goes through: "False" as a string, ops in capitals.
	e.call("PATCH", "/Users/"+id, `{`+patch+`,"Operations":[{"op":"Replace","path":"active","value":"False"}]}`).must(t, 200)
}
