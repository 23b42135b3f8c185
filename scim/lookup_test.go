package scim

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store/storetest"
	"github.com/lobby/lobby/auth/password"
)

// The lookup fast path answers byte for byte what the library's path answers, and leaves
// every other request to it.
func TestLookupMatchesTheFullPath(t *testing.T) {
	ctx := context.Background()
	svc := org.New(storetest.Open(t), org.Options{BaseURL: "https://lobby.example", Hasher: password.New(1)})
	o, err := svc.CreateOrg(ctx, org.SystemActor("cli", "test", ""), "acme", "Acme")
	if err != nil {
		t.Fatal(err)
	}
	admin := org.SystemActor("cli", "test", o.ID)
	if _, err := svc.AddMember(ctx, admin, org.NewMember{Email: "alice@acme.test", Name: "Alice"}); err != nil {
		t.Fatal(err)
	}
	tok, err := svc.CreateToken(ctx, admin, "scim", "Entra")
	if err != nil {
		t.Fatal(err)
	}
	h, full := newHandler(Deps{Org: svc, BaseURL: "https://lobby.example",
		Policy: org.SCIMPolicy{Role: "member", MaxRole: "member", DeleteMode: "delete"}})
	ref := httptest.NewServer(http.StripPrefix("/scim", full))
	defer ref.Close()
	do := func(method, path, body string) (int, http.Header, string) {
		t.Helper()
		req, _ := http.NewRequest(method, ref.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok.Plain)
		req.Header.Set("Content-Type", "application/scim+json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header, string(b)
	}
	for _, u := range []string{
		`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
		  "userName":"Bo.Ng@acme.test","externalId":"e-1","active":true,"displayName":"Bo Ng","name":{"givenName":"Bo","familyName":"Ng"},
		  "emails":[{"value":"bo.ng@acme.test","type":"work","primary":true}],
		  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"42","department":"Sales","manager":{"value":"m-1"}}}`,
		`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"cy@acme.test","active":false,"displayName":"Cy Password"}`,
		`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"de+tag@acme.test","externalId":"x/y z","displayName":"Dé <tag> &amp; \\u00e9"}`,
	} {
		if status, _, body := do("POST", "/scim/v2/Users", u); status != 201 {
			t.Fatalf("create: %d %s", status, body)
		}
	}
	if status, _, body := do("POST", "/scim/v2/Groups", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Sales"}`); status != 201 {
		t.Fatalf("group: %d %s", status, body)
	}

	f := fiber.New(fiber.Config{DisableStartupMessage: true, Immutable: true}) // as app/http.go runs it
	f.Get("/scim/v2/Users", h.lookup)
	fell := false
	f.Get("/scim/v2/Users", func(c *fiber.Ctx) error { fell = true; return c.SendStatus(599) })
	fast := func(path string) (int, http.Header, string) {
		t.Helper()
		fell = false
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+tok.Plain)
		res, err := f.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header, string(b)
	}
	for _, filter := range []string{`userName eq "bo.ng@acme.test"`, `USERNAME eq "BO.NG@ACME.TEST"`, `userName eq "alice@acme.test"`,
		`userName eq "cy@acme.test"`, `userName eq "de+tag@acme.test"`, `externalId eq "x/y z"`, `externalId eq "e-1"`,
		`displayName eq "Bo Ng"`, `userName eq "nobody@acme.test"`, `userName eq "quote\"d@acme.test"`} {
		path := "/scim/v2/Users?filter=" + url.QueryEscape(filter)
		ws, wh, want := do("GET", path, "")
		gs, gh, got := fast(path)
		if fell {
			t.Errorf("%s: the fast path passed it on", filter)
			continue
		}
		if gs != ws || got != want || gh.Get("Content-Type") != wh.Get("Content-Type") {
			t.Errorf("%s:\nfast %d %s %s\nfull %d %s %s", filter, gs, gh.Get("Content-Type"), got, ws, wh.Get("Content-Type"), want)
		}
	}
	for _, path := range []string{
		"/scim/v2/Users",
		"/scim/v2/Users?filter=" + url.QueryEscape(`userName eq "bo.ng@acme.test"`) + "&startIndex=1",
		"/scim/v2/Users?filter=" + url.QueryEscape(`userName eq "bo.ng@acme.test"`) + "&attributes=userName",
		"/scim/v2/Users?filter=" + url.QueryEscape(`userName sw "bo"`),
		"/scim/v2/Users?filter=" + url.QueryEscape(`emails.value eq "bo.ng@acme.test"`),
		"/scim/v2/Users/?filter=" + url.QueryEscape(`userName eq "bo.ng@acme.test"`),
	} {
		if fast(path); !fell {
			t.Errorf("%s: the fast path answered a request it does not know", path)
		}
	}
	// HEAD is the library's to answer too (Fiber routes it with GET).
	req := httptest.NewRequest("HEAD", "/scim/v2/Users?filter="+url.QueryEscape(`userName eq "bo.ng@acme.test"`), nil)
	req.Header.Set("Authorization", "Bearer "+tok.Plain)
	fell = false
	if _, err := f.Test(req, -1); err != nil || !fell {
		t.Errorf("HEAD was answered by the fast path (%v)", err)
	}
	// Without a valid token the full path answers, with its 401.
	req = httptest.NewRequest("GET", "/scim/v2/Users?filter="+url.QueryEscape(`userName eq "bo.ng@acme.test"`), nil)
	req.Header.Set("Authorization", "Bearer lobby_scim_wrong")
	fell = false
	if _, err := f.Test(req, -1); err != nil || !fell {
		t.Errorf("a wrong token was not passed on to the full path (%v)", err)
	}
}
