package app_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// An address nothing answers gets a page for people (with the site's layout and a way home),
// while the API keeps its JSON error and SCIM its own answers.
func TestServeUnknownAddresses(t *testing.T) {
	_, cfg := serveLobby(t, nil)
	for _, tc := range []struct {
		path, contentType string
		want              []string
	}{
		{"/nope", "text/html", []string{"<title>Page not found", "This address doesn&#39;t lead anywhere", `href="/"`, "Go to your home page"}},
		{"/static/missing.css", "text/html", []string{"Page not found"}},
		{"/api/nope", "application/json", []string{`"code":"not_found"`}},
	} {
		resp, err := http.Get(cfg.Server.BaseURL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 404 || !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.contentType) {
			t.Errorf("%s: %d %s", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		for _, w := range tc.want {
			if !strings.Contains(string(raw), w) {
				t.Errorf("%s: the answer lacks %q:\n%s", tc.path, w, raw)
			}
		}
	}
}
