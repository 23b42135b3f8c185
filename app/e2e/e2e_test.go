package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestInvitationFromEmailToDashboard follows a new person from the invitation email to their
// dashboard: sign up on the link, see the organization, sign out, sign in again.
func TestInvitationFromEmailToDashboard(t *testing.T) {
	t.Parallel()
	chromium(t) // first, so a missing browser fails (or skips) at once
	l := startLobby(t)
	b := newBrowser(t)
	l.api(t, "POST", "/teams", map[string]any{"name": "Field research"}, http.StatusCreated, nil)
	inv := l.invite(t, map[string]any{"emails": []string{"dana@example.test"}, "role": "member",
		"teams": []string{"Field research"}, "message": "Welcome aboard, Dana! Your training links are waiting for you."})

	m := l.waitMail(t, "dana@example.test")
	if !strings.Contains(m.Subject, orgName) {
		t.Errorf("the invitation's subject %q does not name %s", m.Subject, orgName)
	}
	if to := m.Header.Get("To"); !strings.Contains(to, "dana@example.test") {
		t.Errorf("the To header is %q", to)
	}
	link := m.link(t, l.URL+"/invite/")
	if link != inv.AcceptURL {
		t.Errorf("the email links to %s, the API answered accept_url %s", link, inv.AcceptURL)
	}
	if !strings.Contains(m.Text, link) {
		t.Errorf("the text part lacks the link %s:\n%s", link, m.Text)
	}

	run(t, b, "open the invitation", chromedp.Navigate(link), chromedp.WaitVisible(`#name`, chromedp.ByQuery))
	wantText(t, b, "h1", ownerName+" invited you to join "+orgName)
	wantText(t, b, ".facts", "dana@example.test", "Member", "Field research")
	wantText(t, b, ".quote", "Welcome aboard, Dana!")
	screenshot(t, b, "invite-signup")

	run(t, b, "sign up",
		chromedp.SendKeys(`#name`, "Dana Scully", chromedp.ByQuery),
		chromedp.SendKeys(`#password`, "trust no one 1013", chromedp.ByQuery),
		chromedp.Click(`main form button`, chromedp.ByQuery),
		chromedp.WaitVisible(`.orgs`, chromedp.ByQuery))
	if loc := location(t, b); !strings.HasPrefix(loc, l.URL+"/?joined=") {
		t.Errorf("after signing up the browser is at %s, not the dashboard", loc)
	}
	wantText(t, b, "h1", "Hello, Dana Scully")
	wantText(t, b, ".notice", "Welcome to "+orgName)
	wantText(t, b, ".orgs", orgName, "Member", "Field research")
	screenshot(t, b, "dashboard")

	var got invitation
	l.api(t, "GET", "/invitations/"+inv.ID, nil, http.StatusOK, &got)
	if got.Status != "accepted" {
		t.Errorf("after signing up the invitation is %q, not accepted", got.Status)
	}

	run(t, b, "sign out", chromedp.Click(`header form[action="/logout"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`#email`, chromedp.ByQuery))
	if loc := location(t, b); loc != l.URL+"/login" {
		t.Errorf("after signing out the browser is at %s, not /login", loc)
	}
	run(t, b, "open the dashboard signed out", chromedp.Navigate(l.URL+"/"), chromedp.WaitVisible(`#email`, chromedp.ByQuery))
	if loc := location(t, b); !strings.HasPrefix(loc, l.URL+"/login") {
		t.Errorf("signed out, / went to %s instead of the sign-in page", loc)
	}
	wantText(t, b, "h1", "Sign in")
	screenshot(t, b, "login")

	run(t, b, "sign in again",
		chromedp.SendKeys(`#email`, "dana@example.test", chromedp.ByQuery),
		chromedp.SendKeys(`#password`, "trust no one 1013", chromedp.ByQuery),
		chromedp.Click(`main form button`, chromedp.ByQuery),
		chromedp.WaitVisible(`.orgs`, chromedp.ByQuery))
	if loc := location(t, b); loc != l.URL+"/" {
		t.Errorf("after signing in the browser is at %s, not the dashboard", loc)
	}
	wantText(t, b, "h1", "Hello, Dana Scully")
	wantText(t, b, ".orgs", orgName)
}

// TestExpiredInvitationLink opens a link after its invitation expired: a plain page that says
// so and names the inviter, whose button asks Alice by email for a new invitation.
func TestExpiredInvitationLink(t *testing.T) {
	t.Parallel()
	chromium(t) // first, so a missing browser fails (or skips) at once
	l := startLobby(t)
	b := newBrowser(t)
	inv := l.invite(t, map[string]any{"emails": []string{"gus@example.test"}, "name": "Gus"})
	link := l.waitMail(t, "gus@example.test").link(t, l.URL+"/invite/")
	expires, err := time.Parse(time.RFC3339, inv.ExpiresAt)
	if err != nil {
		t.Fatalf("expires_at %q: %v", inv.ExpiresAt, err)
	}
	l.Clock.Add(time.Until(expires) + time.Hour)

	run(t, b, "open the expired link", chromedp.Navigate(link), chromedp.WaitVisible(`h1`, chromedp.ByQuery))
	wantText(t, b, "h1", "This invitation has expired")
	wantText(t, b, "main", ownerName+" can send you a new one")
	if n := countNodes(t, b, `#name, #password`); n != 0 {
		t.Errorf("the expired link still shows a sign-up form (%d fields)", n)
	}
	screenshot(t, b, "invite-expired")

	// Wait for the next page's heading, not any h1: the expired page has one too.
	run(t, b, "ask for a new invitation", chromedp.Click(`main form button`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`main form`, chromedp.ByQuery), chromedp.WaitVisible(`h1`, chromedp.ByQuery))
	wantText(t, b, "h1", "We've asked for a new invitation")
	screenshot(t, b, "invite-expired-asked")
	ask := l.waitMail(t, ownerEmail)
	if !strings.Contains(ask.Subject, "gus@example.test") {
		t.Errorf("the inviter got %q, which does not say who asked", ask.Subject)
	}
}

// TestInvitationWhileSignedInAsSomeoneElse opens Frank's link while Alice is signed in: the page
// says so, accepts nothing, and its button signs Alice out and returns to Frank's sign-up.
func TestInvitationWhileSignedInAsSomeoneElse(t *testing.T) {
	t.Parallel()
	chromium(t) // first, so a missing browser fails (or skips) at once
	l := startLobby(t)
	b := newBrowser(t)
	inv := l.invite(t, map[string]any{"emails": []string{"frank@example.test"}, "name": "Frank"})
	link := l.waitMail(t, "frank@example.test").link(t, l.URL+"/invite/")

	run(t, b, "sign in as Alice",
		chromedp.Navigate(l.URL+"/login"),
		chromedp.WaitVisible(`#email`, chromedp.ByQuery),
		chromedp.SendKeys(`#email`, ownerEmail, chromedp.ByQuery),
		chromedp.SendKeys(`#password`, ownerPassword, chromedp.ByQuery),
		chromedp.Click(`main form button`, chromedp.ByQuery),
		chromedp.WaitVisible(`.orgs`, chromedp.ByQuery))

	run(t, b, "open Frank's link", chromedp.Navigate(link), chromedp.WaitVisible(`main form button`, chromedp.ByQuery))
	wantText(t, b, "h1", "You're signed in as someone else")
	wantText(t, b, "main", "signed in as "+ownerEmail, "this invitation is for frank@example.test", "Nothing has been accepted")
	if n := countNodes(t, b, `main input[name=step]`); n != 0 {
		t.Errorf("Alice is offered a form that would accept Frank's invitation (%d step fields)", n)
	}
	screenshot(t, b, "invite-wrong-person")

	var got invitation
	l.api(t, "GET", "/invitations/"+inv.ID, nil, http.StatusOK, &got)
	if got.Status != "pending" {
		t.Errorf("after Alice opened Frank's link the invitation is %q, not pending", got.Status)
	}

	run(t, b, "sign out and continue", chromedp.Click(`main form button`, chromedp.ByQuery),
		chromedp.WaitVisible(`#name`, chromedp.ByQuery))
	u, err := url.Parse(location(t, b))
	if err != nil || u.Path != strings.TrimPrefix(link, l.URL) {
		t.Errorf("after signing out the browser is at %v, not back on Frank's link", u)
	}
	if n := countNodes(t, b, `header form[action="/logout"]`); n != 0 {
		t.Errorf("Alice still looks signed in on Frank's sign-up page")
	}
}
