package scim

import (
	"bytes"
	"testing"
)

// The shortcut for answers with nothing to cut out gives the same bytes as decoding and
// encoding everything. The library writes maps with json.Marshal, so its keys come sorted and
// <, > and & escaped, as here.
func TestCountItemsMatchesReshape(t *testing.T) {
	for i, body := range []string{
		`{"Resources":[{"id":"1","meta":{"version":"W/\"1\""},"name":{"givenName":"A \u003cb\u003e \u0026 c"},"userName":"a@b.c"},{"active":true,"id":"2","x":1.5e3}],"itemsPerPage":100,"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"startIndex":1,"totalResults":2}`,
		`{"Resources":null,"itemsPerPage":100,"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"startIndex":1,"totalResults":0}`,
		`{"itemsPerPage":100,"startIndex":1,"totalResults":0}`,
		`{"id":"1","schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@b.c"}`,
	} {
		slow, ok := reshape([]byte(body), selection{})
		if !ok {
			t.Fatalf("reshape refused %s", body)
		}
		fast, ok1 := countItems([]byte(body))
		// The handler knows how many resources it listed: 2 in the first body, none in the others.
		known, ok2 := setItemsPerPage([]byte(body), map[bool]int{true: 2, false: 0}[i == 0])
		for name, got := range map[string][]byte{"countItems": fast, "setItemsPerPage": known} {
			if !ok1 || !ok2 || string(got) != string(slow) {
				t.Errorf("body %s\n%s %s\nreshape %s", body, name, got, slow)
			}
		}
	}
}

// mentionsPassword finds what lowering the answer and searching it found.
func TestMentionsPasswordLikeLowering(t *testing.T) {
	for _, s := range []string{"", "password", `{"PassWord":1}`, "passwor", "xpasswordx", "pass word", "PASSWORD", "paßword",
		"pa\u017fsword", "\u212aey", "Passwörd", "p\x00ssword", `{"displayName":"Mr Password"}`, "passwor" + "D"} {
		want := bytes.Contains(bytes.ToLower([]byte(s)), []byte("password"))
		if got := mentionsPassword([]byte(s)); got != want {
			t.Errorf("mentionsPassword(%q) = %v, want %v", s, got, want)
		}
	}
}
