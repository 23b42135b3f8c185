package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/lobby/lobby/auth/oidc/oidctest"
)

// TestInvitationWithSSO accepts an invitation with the organization's login: the button on the
// invitation page, the provider's page, and back to the dashboard with the invitation accepted.
func TestInvitationWithSSO(t *testing.T) {
	t.Parallel()
	chromium(t) // first, so a missing browser fails (or skips) at once
	l := startLobby(t, withSSO(oidctest.User{Subject: "sam-sub", Email: "sam@example.test", EmailVerified: true, Name: "Sam Carter"}))
	b := newBrowser(t)
	inv := l.invite(t, map[string]any{"emails": []string{"sam@example.test"}})
	link := l.waitMail(t, "sam@example.test").link(t, l.URL+"/invite/")

	open(t, b, l, strings.TrimPrefix(link, l.URL), `button[data-sso="`+ssoID+`"]`)
	wantText(t, b, `button[data-sso="`+ssoID+`"]`, "Continue with "+ssoName)
	screenshot(t, b, "invite-sso")
	click(t, b, "continue with the provider", `button[data-sso="`+ssoID+`"]`, `#allow`)
	if loc := location(t, b); !strings.HasPrefix(loc, l.OP.Issuer+"/login") {
		t.Errorf("the SSO button led to %s, not the provider's login page", loc)
	}
	wantText(t, b, "#who", "sam-sub")
	click(t, b, "allow at the provider", `#allow`, `.orgs`)
	if loc := location(t, b); !strings.HasPrefix(loc, l.URL+"/") {
		t.Errorf("after the provider the browser is at %s", loc)
	}
	wantText(t, b, "h1", "Hello, Sam Carter")
	wantText(t, b, ".orgs", orgName, "Member")

	var got invitation
	l.api(t, "GET", "/invitations/"+inv.ID, nil, http.StatusOK, &got)
	if got.Status != "accepted" {
		t.Errorf("after signing up with SSO the invitation is %q, not accepted", got.Status)
	}
	var ms struct{ Items []member }
	l.api(t, "GET", "/members?q=sam", nil, http.StatusOK, &ms)
	if len(ms.Items) != 1 || ms.Items[0].Email != "sam@example.test" {
		t.Errorf("after signing up with SSO the API lists %+v", ms.Items)
	}
}
