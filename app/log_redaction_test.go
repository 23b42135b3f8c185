package app_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/auth/token"
)

// linkToken finds the link tokens in queued mail.
var linkToken = regexp.MustCompile(`lb[a-z]_[A-Za-z0-9_-]{40,}`)

// Every request is logged at debug level, and a link token in its path would put a working
// invitation or reset into every log store. Real and made-up tokens of every kind go through
// the whole app — pages, a refused form, the API and SCIM — and no log line may hold one.
func TestTokensNeverReachTheLog(t *testing.T) {
	l := newLobby(t, "https://lobby.example")
	ctx := context.Background()
	admin := org.SystemActor("cli", "t", l.org.ID)
	on, domains, slug := true, []string{"example.com"}, "acme-join"
	if _, err := l.a.Org.UpdateSettings(ctx, admin, org.SettingsPatch{JoinEnabled: &on, JoinAllowedDomains: &domains, JoinSlug: &slug}); err != nil {
		t.Fatal(err)
	}
	res, err := l.a.Org.Invite(ctx, l.owner, org.InviteRequest{Emails: []string{"ivy@example.com"}, Notify: true})
	if err != nil || len(res.Created) != 1 {
		t.Fatalf("invite: %v %+v", err, res.Errors)
	}
	if err := l.a.Org.RequestReset(ctx, ownerEmail); err != nil {
		t.Fatal(err)
	}
	if err := l.a.Org.RequestJoin(ctx, slug, "jo@example.com"); err != nil {
		t.Fatal(err)
	}
	secrets := map[string]string{"api": l.api}
	for tmpl, datas := range l.outbox() {
		for _, d := range datas {
			for _, tok := range linkToken.FindAllString(d, -1) {
				secrets[tmpl] = tok
			}
		}
	}
	for _, kind := range []string{"invite", "password_reset", "join_confirm"} {
		if secrets[kind] == "" {
			t.Fatalf("no %s token in the queued mail: %v", kind, l.outbox())
		}
	}
	for _, k := range []token.Kind{token.Invite, token.Reset, token.Join, token.Setup, token.API, token.SCIM} {
		plain, _ := token.New(k)
		secrets["made-up "+string(k)] = plain
	}
	inv, reset, join := secrets["invite"], secrets["password_reset"], secrets["join_confirm"]
	var requests int
	send := func(method, path string, form url.Values, bearer string) {
		t.Helper()
		req := request(method, path, form, "")
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		l.do(req)
		requests++
	}
	send("GET", "/invite/"+inv, nil, "")
	send("POST", "/invite/"+inv, url.Values{"name": {"Ivy"}}, "") // no CSRF token: refused
	send("POST", "/invite/"+inv+"/ask", url.Values{}, "")
	send("GET", "/invite/"+inv+"trailing-junk", nil, "")
	send("GET", "/reset/"+reset, nil, "")
	send("GET", "/join/confirm/"+join, nil, "")
	send("GET", "/invite/"+secrets["made-up lbi_"], nil, "")
	send("GET", "/reset/"+secrets["made-up lbr_"], nil, "")
	send("GET", "/join/confirm/"+secrets["made-up lbj_"], nil, "")
	send("GET", "/setup/"+secrets["made-up lbu_"], nil, "")
	send("GET", "/api/v1/invitations", nil, l.api)
	send("GET", "/api/v1/invitations?access_token="+l.api, nil, "")
	send("GET", "/api/v1/invitations", nil, secrets["made-up lba_"])
	send("GET", "/scim/v2/Users", nil, secrets["made-up lbs_"])
	send("GET", "/scim/v2/Users", nil, l.api) // a token of the wrong kind

	logs := l.logs.String()
	if n := strings.Count(logs, "Handled a request."); n < requests {
		t.Fatalf("%d request lines logged for %d requests; the test would prove nothing:\n%s", n, requests, logs)
	}
	for name, s := range secrets {
		// The secret part alone is enough to rebuild a working link.
		if strings.Contains(logs, s) || strings.Contains(logs, s[4:]) {
			t.Errorf("the %s token reached the log", name)
		}
	}
	if !strings.Contains(logs, "path=/invite/lbi_…") || !strings.Contains(logs, "path=/reset/lbr_…") {
		t.Error("the token paths were not logged in their redacted form")
	}
	if t.Failed() {
		t.Logf("log:\n%s", logs)
	}
}
