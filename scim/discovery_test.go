package scim_test

import (
	"strings"
	"testing"
)

func TestDiscovery(t *testing.T) {
	e := newEnv(t)
	spc := e.call("GET", "/ServiceProviderConfig", "").must(t, 200)
	if spc.at("filter.maxResults").(float64) < 100 || spc.at("etag.supported") != true || spc.at("sort.supported") != true ||
		spc.at("patch.supported") != true || spc.str("authenticationSchemes.0.type") != "oauthbearertoken" {
		t.Fatalf("service provider config: %s", spc.raw)
	}
	for _, path := range []string{"/Schemas", "/ResourceTypes"} {
		r := e.call("GET", path, "").must(t, 200)
		if strings.Contains(r.raw, "null") {
			t.Errorf("%s has nulls: %s", path, r.raw)
		}
		if n := len(r.at("Resources").([]any)); n == 0 || r.num("itemsPerPage") != n || r.num("totalResults") < n {
			t.Errorf("%s: %d resources, itemsPerPage %d, totalResults %d", path, n, r.num("itemsPerPage"), r.num("totalResults"))
		}
	}
	rt := e.call("GET", "/ResourceTypes", "")
	if !strings.Contains(rt.raw, `"/Users"`) || !strings.Contains(rt.raw, `"/Groups"`) {
		t.Fatalf("resource types: %s", rt.raw)
	}
}
