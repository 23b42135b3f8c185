package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// Strings from one request must not change when the next one comes in. The method of each
// request becomes a metrics label, kept for the life of the process: requests of several
// methods on one keep-alive connection must leave only real methods there, and /metrics must
// keep answering (two series whose labels came to read alike made it fail).
func TestServeKeepsNoStringOfAnEarlierRequest(t *testing.T) {
	_, cfg := serveLobby(t, nil)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	defer client.CloseIdleConnections()
	send := func(method, path string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, cfg.Server.BaseURL+path, nil)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	for range 5 {
		for _, m := range []string{"GET", "POST", "PUT", "DELETE", "PATCH"} {
			send(m, "/healthz")
		}
	}
	status, body := send("GET", "/metrics")
	if status != 200 {
		t.Fatalf("/metrics answered %d: %.300s", status, body)
	}
	for _, m := range regexp.MustCompile(`lobby_http_request_duration_seconds_count\{method="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		if !strings.Contains(" GET POST PUT DELETE PATCH HEAD OPTIONS ", " "+m[1]+" ") {
			t.Errorf("a request's method is labelled %q in /metrics", m[1])
		}
	}
}

// A join link's slug is the key of the join page's cache: visiting several links, then each
// again, must show each its own organization.
func TestServeJoinLinksKeepTheirOwnOrganization(t *testing.T) {
	a, cfg := serveLobby(t, nil)
	ctx := context.Background()
	names := map[string]string{} // slug → organization name
	for i := 1; i <= 9; i++ {
		slug, name := fmt.Sprintf("join-club%02d", i), fmt.Sprintf("Club %02d", i) // slugs of one length
		o, err := a.Org.CreateOrg(ctx, org.SystemActor("cli", "t", ""), fmt.Sprintf("club%02d", i), name)
		if err != nil {
			t.Fatal(err)
		}
		on, domains := true, []string{"example.com"}
		if _, err := a.Org.UpdateSettings(ctx, org.SystemActor("cli", "t", o.ID),
			org.SettingsPatch{JoinEnabled: &on, JoinAllowedDomains: &domains, JoinSlug: &slug}); err != nil {
			t.Fatal(err)
		}
		names[slug] = name
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	defer client.CloseIdleConnections()
	for round := range 3 {
		for slug, name := range names {
			res, err := client.Get(cfg.Server.BaseURL + "/join/" + slug)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || !strings.Contains(string(b), name) {
				t.Errorf("round %d: the join link of %s answered %d without its name: %.200s", round, name, res.StatusCode, b)
			}
		}
	}
}
