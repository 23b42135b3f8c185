package api_test

import (
	"strings"
	"testing"
)

// A JSON body over the limit answers 413 body_too_large; one declared as anything but JSON
// answers 415 unsupported_media_type; JSON in any spelling, or undeclared, is read.
func TestAPIBodyLimitsAndContentType(t *testing.T) {
	e := newEnv(t) // MaxBody is 64 KiB
	big := []byte(`{"emails":["` + strings.Repeat("a", 70<<10) + `@x.co"]}`)
	for _, tc := range []struct {
		name, method, path, contentType, body string
		status                                int
		code, inMessage                       string
	}{
		{"over the limit", "POST", "/api/v1/invitations", "application/json", string(big), 413, "body_too_large", "65536 bytes"},
		{"over the limit, not JSON either", "POST", "/api/v1/invitations", "text/plain", string(big), 413, "body_too_large", "larger than"},
		{"text", "POST", "/api/v1/invitations", "text/plain", `{"emails":["a@x.co"]}`, 415, "unsupported_media_type", "application/json"},
		{"form", "PATCH", "/api/v1/settings", "application/x-www-form-urlencoded", `name=Acme`, 415, "unsupported_media_type", "x-www-form-urlencoded"},
		{"look-alike", "POST", "/api/v1/teams", "application/jsonp", `{"name":"A"}`, 415, "unsupported_media_type", "application/json"},
		{"malformed header", "POST", "/api/v1/teams", "json;;", `{"name":"B"}`, 415, "unsupported_media_type", "application/json"},
		{"charset", "POST", "/api/v1/teams", "application/json; charset=utf-8", `{"name":"C"}`, 201, "", ""},
		{"bad parameter", "POST", "/api/v1/teams", "application/json; charset", `{"name":"D2"}`, 201, "", ""},
		{"upper case", "POST", "/api/v1/teams", "Application/JSON", `{"name":"D"}`, 201, "", ""},
		{"merge patch", "PATCH", "/api/v1/settings", "application/merge-patch+json", `{"name":"Acme"}`, 200, "", ""},
		{"undeclared", "POST", "/api/v1/teams", "", `{"name":"E"}`, 201, "", ""},
	} {
		s, b := e.rawJSON(tc.method, tc.path, tc.contentType, []byte(tc.body))
		detail, _ := b["error"].(map[string]any)
		msg, _ := detail["message"].(string)
		if s != tc.status || errCode(b) != tc.code || !strings.Contains(msg, tc.inMessage) {
			t.Errorf("%s: got %d %q %q; want %d %q containing %q", tc.name, s, errCode(b), msg, tc.status, tc.code, tc.inMessage)
		}
	}
	// The OpenAPI document lists both answers on operations that take JSON.
	_, doc := e.callAs("", "GET", "/api/v1/openapi.json", "")
	post := doc["paths"].(map[string]any)["/api/v1/invitations"].(map[string]any)["post"].(map[string]any)
	responses := post["responses"].(map[string]any)
	if responses["413"] == nil || responses["415"] == nil {
		t.Fatalf("POST /invitations responses: %v", responses)
	}
}
