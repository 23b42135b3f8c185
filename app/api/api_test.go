package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/api"
	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/app/store/storetest"
	"github.com/lobby/lobby/auth/token"
)

type env struct {
	t     *testing.T
	app   *fiber.App
	svc   *org.Service
	token string
	orgID string
	now   time.Time
	db    *store.DB
}

func newEnv(t *testing.T) *env {
	t.Helper()
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	e := &env{t: t, now: time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC), db: db}
	e.svc = org.New(db, org.Options{BaseURL: "https://lobby.example", Now: func() time.Time { return e.now }})
	o, err := e.svc.CreateOrg(ctx, org.SystemActor("cli", "t", ""), "acme", "Acme")
	if err != nil {
		t.Fatal(err)
	}
	e.orgID = o.ID
	tok, err := e.svc.CreateToken(ctx, org.SystemActor("cli", "t", o.ID), "api", "ci")
	if err != nil {
		t.Fatal(err)
	}
	e.token = tok.Plain
	e.app = fiber.New(fiber.Config{DisableStartupMessage: true, Immutable: true}) // as app/http.go runs it
	api.Mount(e.app, api.Deps{Org: e.svc, Log: discardLogger(), MaxBody: 64 << 10, BaseURL: "https://lobby.example"})
	return e
}

// call sends a request with the env's token and decodes the JSON answer.
func (e *env) call(method, path, body string) (int, map[string]any) {
	e.t.Helper()
	return e.callAs(e.token, method, path, body)
}

func (e *env) callAs(token, method, path, body string) (int, map[string]any) {
	e.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := e.app.Test(req, -1)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			e.t.Fatalf("%s %s: not JSON (%d): %s", method, path, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode, out
}

func errCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func TestAPIAuthentication(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ name, header string }{
		{"none", ""}, {"basic", "Basic abc"}, {"junk", "Bearer nope"},
		{"right shape, unknown", "Bearer " + func() string { p, _ := token.New(token.API); return p }()},
	} {
		req := httptest.NewRequest("GET", "/api/v1/invitations", nil)
		if tc.header != "" {
			req.Header.Set("Authorization", tc.header)
		}
		resp, _ := e.app.Test(req, -1)
		if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s: status %d", tc.name, resp.StatusCode)
		}
	}
	// A token in the query string is never accepted.
	status, _ := e.callAs("", "GET", "/api/v1/invitations?access_token="+e.token, "")
	if status != 401 {
		t.Fatalf("query token accepted: %d", status)
	}
	// A revoked token stops working at once.
	tok, _ := e.svc.CreateToken(context.Background(), org.SystemActor("cli", "t", e.orgID), "api", "temp")
	if s, _ := e.callAs(tok.Plain, "GET", "/api/v1/teams", ""); s != 200 {
		t.Fatalf("fresh token: %d", s)
	}
	if err := e.svc.RevokeToken(context.Background(), org.SystemActor("cli", "t", e.orgID), tok.Token.ID); err != nil {
		t.Fatal(err)
	}
	if s, _ := e.callAs(tok.Plain, "GET", "/api/v1/teams", ""); s != 401 {
		t.Fatalf("revoked token: %d", s)
	}
	// An expired token is refused, and the answer says why.
	short, _ := e.svc.CreateTokenFor(context.Background(), org.SystemActor("cli", "t", e.orgID), "api", "short", time.Hour)
	if s, _ := e.callAs(short.Plain, "GET", "/api/v1/teams", ""); s != 200 {
		t.Fatalf("token for an hour, at once: %d", s)
	}
	e.now = e.now.Add(time.Hour)
	if s, b := e.callAs(short.Plain, "GET", "/api/v1/teams", ""); s != 401 || !strings.Contains(fmt.Sprint(b), "expired") {
		t.Fatalf("expired token: %d %v", s, b)
	}
	// A SCIM token is not an API token.
	scim, _ := e.svc.CreateToken(context.Background(), org.SystemActor("cli", "t", e.orgID), "scim", "idp")
	if s, _ := e.callAs(scim.Plain, "GET", "/api/v1/teams", ""); s != 401 {
		t.Fatalf("scim token on the API: %d", s)
	}
}

func TestAPIInvitationLifecycle(t *testing.T) {
	e := newEnv(t)
	if s, b := e.call("POST", "/api/v1/teams", `{"name":"Sales"}`); s != 201 {
		t.Fatalf("team: %d %v", s, b)
	}
	s, b := e.call("POST", "/api/v1/invitations", `{"emails":["Ann@Example.com","bad@","ann@example.com"],"role":"member","teams":["Sales"],"message":"Hi","notify":false}`)
	if s != 201 {
		t.Fatalf("create: %d %v", s, b)
	}
	created := b["created"].([]any)
	errs := b["errors"].([]any)
	if len(created) != 1 || len(errs) != 2 {
		t.Fatalf("created %v errors %v", created, errs)
	}
	inv := created[0].(map[string]any)
	id := inv["id"].(string)
	url := inv["accept_url"].(string)
	if inv["email"] != "ann@example.com" || !strings.HasPrefix(url, "https://lobby.example/invite/lbi_") ||
		inv["delivery_status"] != "not_sent" || inv["status"] != "pending" {
		t.Fatalf("invitation %v", inv)
	}
	if _, err := time.Parse(time.RFC3339, inv["expires_at"].(string)); err != nil {
		t.Fatalf("expires_at not RFC 3339: %v", inv["expires_at"])
	}
	// Listing and filtering.
	if s, b := e.call("GET", "/api/v1/invitations?status=pending&q=ann", ""); s != 200 || len(b["items"].([]any)) != 1 || b["next_cursor"] != "" {
		t.Fatalf("list: %d %v", s, b)
	}
	if s, b := e.call("GET", "/api/v1/invitations?status=bogus", ""); s != 400 || errCode(b) != "invalid_request" {
		t.Fatalf("bad status filter: %d %v", s, b)
	}
	// Edit while pending.
	if s, b := e.call("PATCH", "/api/v1/invitations/"+id, `{"role":"admin","teams":[]}`); s != 200 || b["role"] != "admin" {
		t.Fatalf("patch: %d %v", s, b)
	}
	// Resend gives a new link and the old one dies.
	s, b = e.call("POST", "/api/v1/invitations/"+id+"/resend", `{"notify":false}`)
	if s != 200 || b["accept_url"] == url || b["accept_url"] == nil {
		t.Fatalf("resend: %d %v", s, b)
	}
	oldToken := strings.TrimPrefix(url, "https://lobby.example/invite/")
	if _, err := e.svc.OpenInvitation(context.Background(), oldToken); err == nil {
		t.Fatal("old link still works after resend")
	}
	// Revoke, then resend and edit are refused with clear codes.
	if s, b := e.call("POST", "/api/v1/invitations/"+id+"/revoke", ""); s != 200 || b["status"] != "revoked" {
		t.Fatalf("revoke: %d %v", s, b)
	}
	if s, b := e.call("POST", "/api/v1/invitations/"+id+"/resend", ""); s != 409 || errCode(b) != "invitation_not_resendable" {
		t.Fatalf("resend revoked: %d %v", s, b)
	}
	if s, b := e.call("PATCH", "/api/v1/invitations/"+id, `{"role":"member"}`); s != 409 || errCode(b) != "invitation_not_pending" {
		t.Fatalf("edit revoked: %d %v", s, b)
	}
	// The audit log names the token as the actor, newest first.
	s, b = e.call("GET", "/api/v1/audit?action=invitation.", "")
	items := b["items"].([]any)
	if s != 200 || len(items) != 4 || items[0].(map[string]any)["action"] != "invitation.revoked" {
		t.Fatalf("audit: %d %v", s, b)
	}
	if actor := items[0].(map[string]any)["actor"].(map[string]any); actor["name"] != "ci" || actor["kind"] != "api_token" {
		t.Fatalf("audit actor %v", actor)
	}
}

func TestAPIBadInput(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		code, inMessage          string
	}{
		{"malformed json", "POST", "/api/v1/invitations", `{"emails":[`, 400, "invalid_request", "not valid"},
		{"unknown field", "POST", "/api/v1/invitations", `{"emails":["a@b.co"],"rol":"admin"}`, 400, "invalid_request", `"rol"`},
		{"wrong type", "POST", "/api/v1/invitations", `{"emails":"a@b.co"}`, 400, "invalid_request", "emails"},
		{"no emails", "POST", "/api/v1/invitations", `{"emails":[]}`, 400, "invalid_request", "at least one"},
		{"unknown role", "POST", "/api/v1/invitations", `{"emails":["a@b.co"],"role":"wizard"}`, 422, "unknown_role", "wizard"},
		{"unknown team", "POST", "/api/v1/invitations", `{"emails":["a@b.co"],"teams":["Ghosts"]}`, 422, "unknown_team", "Ghosts"},
		{"every address invalid", "POST", "/api/v1/invitations", `{"emails":["Bob <b@x.co>"]}`, 422, "invalid_email", "display name"},
		{"oversized body", "POST", "/api/v1/invitations", `{"emails":["` + strings.Repeat("a", 70<<10) + `@x.co"]}`, 413, "body_too_large", "larger than"},
		{"unknown invitation", "GET", "/api/v1/invitations/nope", "", 404, "not_found", "invitation"},
		{"unknown route", "GET", "/api/v1/nothing", "", 404, "not_found", "no such API route"},
		{"wrong method", "DELETE", "/api/v1/invitations", "", 405, "method_not_allowed", "use POST or GET"},
		{"wrong method on an id", "PUT", "/api/v1/invitations/abc", "", 405, "method_not_allowed", "use GET or PATCH"},
		{"unknown setting", "PATCH", "/api/v1/settings", `{"seats":3}`, 400, "invalid_request", `"seats"`},
		{"bad ttl", "PATCH", "/api/v1/settings", `{"invite_ttl":"a week"}`, 422, "invalid_setting", "invite_ttl"},
		{"negative seats", "PATCH", "/api/v1/settings", `{"seat_limit":-1}`, 422, "invalid_setting", "seat_limit"},
		{"bad limit", "GET", "/api/v1/members?limit=abc", "", 400, "invalid_request", "limit"},
	} {
		s, b := e.call(tc.method, tc.path, tc.body)
		msg, _ := b["error"].(map[string]any)["message"].(string)
		if s != tc.status || errCode(b) != tc.code || !strings.Contains(msg, tc.inMessage) {
			t.Errorf("%s: got %d %q %q; want %d %q containing %q", tc.name, s, errCode(b), msg, tc.status, tc.code, tc.inMessage)
		}
	}
	// Nothing was created by any of them.
	if _, b := e.call("GET", "/api/v1/invitations", ""); len(b["items"].([]any)) != 0 {
		t.Fatalf("bad input created invitations: %v", b["items"])
	}
}

func TestAPISettingsAndSeats(t *testing.T) {
	e := newEnv(t)
	s, b := e.call("PATCH", "/api/v1/settings", `{"name":"Acme Inc","seat_limit":2,"invite_ttl":"24h","default_role":"member"}`)
	if s != 200 || b["name"] != "Acme Inc" || b["seat_limit"].(float64) != 2 || b["invite_ttl"] != "24h" {
		t.Fatalf("patch: %d %v", s, b)
	}
	// A batch over the limit reports per address.
	s, b = e.call("POST", "/api/v1/invitations", `{"emails":["a@x.co","b@x.co","c@x.co"],"notify":false}`)
	if s != 201 || len(b["created"].([]any)) != 2 || len(b["errors"].([]any)) != 1 {
		t.Fatalf("batch: %d %v", s, b)
	}
	if code := b["errors"].([]any)[0].(map[string]any)["code"]; code != "seat_limit_reached" {
		t.Fatalf("refusal code %v", code)
	}
	// A single invite over the limit is a 409 with the code.
	if s, b := e.call("POST", "/api/v1/invitations", `{"emails":["d@x.co"]}`); s != 409 || errCode(b) != "seat_limit_reached" {
		t.Fatalf("single over limit: %d %v", s, b)
	}
	if _, b := e.call("GET", "/api/v1/settings", ""); b["seats_used"].(float64) != 2 {
		t.Fatalf("seats_used %v", b["seats_used"])
	}
	// A bad key in a patch changes nothing, not even the valid keys beside it.
	if s, _ := e.call("PATCH", "/api/v1/settings", `{"name":"Changed","default_role":"owner"}`); s != 422 {
		t.Fatalf("owner as default role: %d", s)
	}
	if _, b := e.call("GET", "/api/v1/settings", ""); b["name"] != "Acme Inc" {
		t.Fatalf("half a patch applied: %v", b["name"])
	}
	if s, b := e.call("PATCH", "/api/v1/settings", `{"seat_limit":null}`); s != 200 || b["seat_limit"] != nil {
		t.Fatalf("remove limit: %d %v", s, b)
	}
}

func TestAPIMembersAndTeams(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := org.SystemActor("cli", "t", e.orgID)
	var ids []string
	for _, em := range []string{"a@x.co", "b@x.co", "c@x.co"} {
		m, err := e.svc.AddMember(ctx, admin, org.NewMember{Email: em, Name: strings.ToUpper(em[:1])})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	_, b := e.call("POST", "/api/v1/teams", `{"name":"Ops"}`)
	team := b["id"].(string)
	for range 2 { // PUT twice: the same team, one audit entry
		if s, _ := e.call("PUT", "/api/v1/teams/"+team+"/members/"+ids[0], ""); s != 204 {
			t.Fatalf("add to team: %d", s)
		}
	}
	if _, b := e.call("GET", "/api/v1/audit?action=team.member_added", ""); len(b["items"].([]any)) != 1 {
		t.Fatalf("audit of a repeated PUT: %v", b)
	}
	if _, b := e.call("GET", "/api/v1/members?team=Ops", ""); len(b["items"].([]any)) != 1 {
		t.Fatalf("team filter: %v", b)
	}
	// Paging by cursor walks every member exactly once.
	seen := map[string]bool{}
	cursor := ""
	for pages := 0; ; pages++ {
		_, b := e.call("GET", "/api/v1/members?limit=2&cursor="+cursor, "")
		for _, it := range b["items"].([]any) {
			seen[it.(map[string]any)["id"].(string)] = true
		}
		cursor, _ = b["next_cursor"].(string)
		if cursor == "" || pages > 5 {
			break
		}
	}
	if len(seen) != 3 {
		t.Fatalf("paging saw %d members", len(seen))
	}
	// Deactivate and reactivate keep the member's data.
	if s, b := e.call("PATCH", "/api/v1/members/"+ids[0], `{"status":"deactivated"}`); s != 200 || b["status"] != "deactivated" || len(b["teams"].([]any)) != 1 {
		t.Fatalf("deactivate: %d %v", s, b)
	}
	if _, b := e.call("GET", "/api/v1/members?status=active", ""); len(b["items"].([]any)) != 2 {
		t.Fatalf("active filter %v", b)
	}
	if s, b := e.call("PATCH", "/api/v1/members/"+ids[0], `{"status":"active"}`); s != 200 || b["status"] != "active" {
		t.Fatalf("reactivate: %d %v", s, b)
	}
	if s, _ := e.call("DELETE", "/api/v1/teams/"+team+"/members/"+ids[0], ""); s != 204 {
		t.Fatalf("remove from team: %d", s)
	}
	if s, b := e.call("DELETE", "/api/v1/members/"+ids[1], ""); s != 200 || b["deleted"] != true {
		t.Fatalf("delete: %d %v", s, b)
	}
	if s, _ := e.call("GET", "/api/v1/members/"+ids[1], ""); s != 404 {
		t.Fatalf("deleted member: %d", s)
	}
	// Another organization's member answers 404 to this token.
	other, _ := e.svc.CreateOrg(ctx, org.SystemActor("cli", "t", ""), "other", "Other")
	om, err := e.svc.AddMember(ctx, org.SystemActor("cli", "t", other.ID), org.NewMember{Email: "z@x.co"})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"GET", "DELETE"} {
		if s, _ := e.call(m, "/api/v1/members/"+om.ID, ""); s != 404 {
			t.Fatalf("%s other org's member: %d", m, s)
		}
	}
}

func TestOpenAPICoversEveryRoute(t *testing.T) {
	e := newEnv(t)
	s, doc := e.callAs("", "GET", "/api/v1/openapi.json", "")
	if s != 200 || doc["openapi"] != "3.0.3" {
		t.Fatalf("openapi: %d", s)
	}
	paths := doc["paths"].(map[string]any)
	n := 0
	for _, r := range e.app.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/v1/") || r.Path == "/api/v1/openapi.json" || r.Method == "HEAD" || r.Method == "USE" {
			continue
		}
		p := r.Path
		for _, seg := range strings.Split(p, "/") {
			if strings.HasPrefix(seg, ":") {
				p = strings.Replace(p, seg, "{"+seg[1:]+"}", 1)
			}
		}
		item, ok := paths[p].(map[string]any)
		if !ok || item[strings.ToLower(r.Method)] == nil {
			t.Errorf("%s %s is not in the OpenAPI document", r.Method, p)
		}
		n++
	}
	if n < 17 {
		t.Fatalf("only %d routes checked", n)
	}
	_ = http.MethodGet
}

// A method a path does not take answers 405 with the ones it does in Allow, as HTTP asks.
func TestAPIWrongMethodSaysWhichAreAllowed(t *testing.T) {
	e := newEnv(t)
	s, h, _ := e.raw("DELETE", "/api/v1/teams", "", nil)
	if s != 405 || h["Allow"] != "GET, POST" {
		t.Fatalf("DELETE /teams: %d, Allow %q", s, h["Allow"])
	}
}
