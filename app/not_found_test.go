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
		{"/api", "application/json", []string{`"code":"not_found"`}},
		{"/apiary", "text/html", []string{"Page not found"}},
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

// A request that fails on the server's side (here: the database is gone) gets a page that
// says so in words, never the error itself, which goes to the log.
func TestServeFailureShowsAPage(t *testing.T) {
	a, cfg := serveLobby(t, nil)
	if err := a.DB.R.Close(); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/invite/lbi_" + strings.Repeat("x", 43), "/join/anything"} {
		resp, err := http.Get(cfg.Server.BaseURL + path)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		body := string(raw)
		if resp.StatusCode != 500 || !strings.Contains(body, "<h1>Something went wrong</h1>") ||
			!strings.Contains(body, "on our side. Try again in a minute") || strings.Contains(body, "closed") {
			t.Errorf("%s: %d:\n%s", path, resp.StatusCode, body)
		}
	}
}
