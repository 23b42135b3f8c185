package scim_test

import (
	"strings"
	"testing"
)

func ops(list ...string) string {
	return `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[` + strings.Join(list, ",") + `]}`
}

// TestUserPatchForms applies the PATCH forms SCIM.md lists, one after another, to one user.
func TestUserPatchForms(t *testing.T) {
	e := newEnv(t)
	id := e.createUser("pat@acme.test", "p-1")
	steps := []struct {
		name, body string
		check      func(r resp) bool
	}{
		{"no path, dotted keys, odd op case", ops(`{"op":"REPLACE","value":{"name.givenName":"Patricia","displayName":"Pat","externalId":"p-2"}}`),
			func(r resp) bool {
				return r.str("name.givenName") == "Patricia" && r.str("name.familyName") == "User" && r.str("displayName") == "Pat" &&
					r.str("externalId") == "p-2"
			}},
		{"replace adds a home address when there is none", ops(`{"op":"replace","path":"emails[type eq \"home\"].value","value":"Pat@Home.test"}`),
			func(r resp) bool {
				return len(r.at("emails").([]any)) == 2 && r.str("emails.1.type") == "home" && r.str("emails.1.value") == "pat@home.test"
			}},
		{"replace changes the matching address only", ops(`{"op":"Replace","path":"emails[type eq \"home\"].value","value":"pat2@home.test"}`),
			func(r resp) bool {
				return r.str("emails.0.value") == "pat@acme.test" && r.str("emails.1.value") == "pat2@home.test"
			}},
		{"remove by filter", ops(`{"op":"remove","path":"emails[type eq \"home\"]"}`),
			func(r resp) bool { return len(r.at("emails").([]any)) == 1 && r.str("emails.0.type") == "work" }},
		{"enterprise attributes by path and by object", ops(
			`{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber","value":"E-7"}`,
			`{"op":"add","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Ops","manager":"m-1"}}}`),
			func(r resp) bool {
				return r.enterprise("employeeNumber") == "E-7" && r.enterprise("department") == "Ops" &&
					strings.Contains(r.raw, `"manager":{"value":"m-1"}`)
			}},
		{"remove a sub-attribute and a simple attribute", ops(`{"op":"remove","path":"name.givenName"}`,
			`{"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"}`),
			func(r resp) bool {
				return r.str("name.givenName") == "" && r.str("name.familyName") == "User" && !strings.Contains(r.raw, "manager")
			}},
		{"string boolean without a path", ops(`{"op":"replace","value":{"active":"False"}}`),
			func(r resp) bool { return r.at("active") == false }},
		{"unknown attributes are refused", ops(`{"op":"replace","path":"shoeSize","value":"44"}`), nil},
	}
	for _, s := range steps {
		r := e.call("PATCH", "/Users/"+id, s.body)
		if s.check == nil {
			if r.status != 400 {
				t.Fatalf("%s: %d %s", s.name, r.status, r.raw)
			}
			continue
		}
		if r.status != 200 || !s.check(r) {
			t.Fatalf("%s: %d %s", s.name, r.status, r.raw)
		}
		// What PATCH answers is what GET reads back.
		if g := e.call("GET", "/Users/"+id, ""); g.str("meta.version") != r.str("meta.version") {
			t.Fatalf("%s: GET reads version %s, PATCH answered %s", s.name, g.str("meta.version"), r.str("meta.version"))
		}
	}
	if l := e.audit("member.profile_updated"); len(l) < 5 || l[0].ActorName != "Entra provisioning" {
		t.Fatalf("profile audit: %d rows", len(l))
	}
}
