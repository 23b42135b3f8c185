package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestJoinPageToDashboard switches the join page on through the API, then follows a person from
// the shared link through the confirmation email to their dashboard. An address outside the
// allowed domains is turned away first.
func TestJoinPageToDashboard(t *testing.T) {
	t.Parallel()
	chromium(t) // first, so a missing browser fails (or skips) at once
	l := startLobby(t)
	b := newBrowser(t)
	l.api(t, "POST", "/teams", map[string]any{"name": "Field research"}, http.StatusCreated, nil)
	var s struct {
		JoinURL string `json:"join_url"`
	}
	l.api(t, "PATCH", "/settings", map[string]any{"join_enabled": true, "join_allowed_domains": []string{"example.test"},
		"join_slug": "northwind-crew", "join_teams": []string{"Field research"},
		"join_welcome": "Field staff of Northwind: join with your work address."}, http.StatusOK, &s)
	if s.JoinURL != l.URL+"/join/northwind-crew" {
		t.Fatalf("the settings answer join_url %q", s.JoinURL)
	}

	open(t, b, l, "/join/northwind-crew", `#email`)
	wantText(t, b, "h1", "Join "+orgName)
	wantText(t, b, "main", "Field staff of Northwind: join with your work address.")
	screenshot(t, b, "join")

	run(t, b, "ask with an address outside the list", chromedp.SendKeys(`#email`, "mallory@example.test.evil.test", chromedp.ByQuery))
	click(t, b, "continue", `main form button`, `.error`)
	wantText(t, b, ".error", "cannot join "+orgName)
	if strings.Contains(text(t, b, "main"), "example.test ") {
		t.Errorf("the refusal shows the allowed domain")
	}
	screenshot(t, b, "join-refused")

	run(t, b, "ask with an allowed address", chromedp.Evaluate(`document.querySelector("#email").value = ""`, nil),
		chromedp.SendKeys(`#email`, "Erin@Example.test", chromedp.ByQuery))
	click(t, b, "continue", `main form button`, `main strong`)
	wantText(t, b, "main", "Check your inbox.", "erin@example.test")
	screenshot(t, b, "join-sent")
	var ms struct{ Items []member }
	l.api(t, "GET", "/members?q=erin", nil, http.StatusOK, &ms)
	if len(ms.Items) != 0 {
		t.Fatalf("asking to join made Erin a member before she confirmed")
	}

	link := l.waitMail(t, "erin@example.test").link(t, l.URL+"/join/confirm/")
	open(t, b, l, strings.TrimPrefix(link, l.URL), `#name`)
	wantText(t, b, "main", "You're joining as erin@example.test")
	screenshot(t, b, "join-confirm")
	run(t, b, "sign up", chromedp.SendKeys(`#name`, "Erin Brook", chromedp.ByQuery),
		chromedp.SendKeys(`#password`, "erin's own long password", chromedp.ByQuery))
	click(t, b, "join", `main form button`, `.orgs`)
	if loc := location(t, b); !strings.HasPrefix(loc, l.URL+"/?joined=") {
		t.Errorf("after joining the browser is at %s, not the dashboard", loc)
	}
	wantText(t, b, "h1", "Hello, Erin Brook")
	wantText(t, b, ".notice", "Welcome to "+orgName)
	wantText(t, b, ".orgs", orgName, "Member", "Field research")
	screenshot(t, b, "join-dashboard")
	l.api(t, "GET", "/members?q=erin", nil, http.StatusOK, &ms)
	if len(ms.Items) != 1 || ms.Items[0].Status != "active" || ms.Items[0].Email != "erin@example.test" {
		t.Errorf("after confirming the API lists %+v", ms.Items)
	}
}
