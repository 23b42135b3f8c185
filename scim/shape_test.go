package scim

import (
	"testing"
)

// The shortcut for answers with nothing to cut out gives the same bytes as decoding and
// encoding everything. The library writes maps, so its keys come sorted, as here.
func TestCountItemsMatchesReshape(t *testing.T) {
	for _, body := range []string{
		`{"Resources":[{"id":"1","meta":{"version":"W/\"1\""},"name":{"givenName":"A <b> & c"},"userName":"a@b.c"},{"active":true,"id":"2","x":1.5e3}],"itemsPerPage":100,"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"startIndex":1,"totalResults":2}`,
		`{"Resources":null,"itemsPerPage":100,"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"startIndex":1,"totalResults":0}`,
		`{"itemsPerPage":100,"startIndex":1,"totalResults":0}`,
		`{"id":"1","schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@b.c"}`,
	} {
		fast, ok1 := countItems([]byte(body))
		slow, ok2 := reshape([]byte(body), selection{})
		if !ok1 || !ok2 || string(fast) != string(slow) {
			t.Errorf("body %s\nshortcut %s (%v)\nreshape  %s (%v)", body, fast, ok1, slow, ok2)
		}
	}
}
