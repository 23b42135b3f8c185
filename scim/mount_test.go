package scim_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/scim"
)

// TestMountOnFiber serves SCIM through Fiber's adaptor under /scim, as app/http.go does.
func TestMountOnFiber(t *testing.T) {
	e := newEnv(t)
	f := fiber.New(fiber.Config{DisableStartupMessage: true, Immutable: true}) // as app/http.go runs it
	scim.Mount(f, scim.Deps{Org: e.svc, Policy: e.policy, BaseURL: "https://lobby.example"})
	call := func(method, path, body, auth string) (int, string) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Authorization", auth)
		req.Header.Set("Content-Type", "application/scim+json")
		res, err := f.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	status, body := call("POST", "/scim/v2/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"fi@acme.test"}`,
		"Bearer "+e.token)
	if status != 201 || !strings.Contains(body, `"location":"https://lobby.example/scim/v2/Users/`) {
		t.Fatalf("create through Fiber: %d %s", status, body)
	}
	status, body = call("GET", `/scim/v2/Users?filter=userName%20eq%20%22FI@acme.test%22`, "", "Bearer "+e.token)
	if status != 200 || !strings.Contains(body, `"totalResults":1`) {
		t.Fatalf("lookup through Fiber: %d %s", status, body)
	}
	if status, body = call("GET", "/scim/v2/Users", "", ""); status != 401 || !strings.Contains(body, `"status":"401"`) {
		t.Fatalf("no token through Fiber: %d %s", status, body)
	}
}
