package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/lobby/lobby/app/config"
	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/auth/oidc/oidctest"
)

// ssoID and ssoName are the test OpenID provider as Lobby's config names it.
const ssoID, ssoName = "test", "Test IdP"

// withSSO starts the test OpenID provider (a real, certified one on a loopback port) knowing
// users, signing in as the first of them, and configures it in Lobby as "Test IdP".
func withSSO(users ...oidctest.User) option {
	return func(t *testing.T, l *lobby, cfg *config.Config) {
		t.Helper()
		op := oidctest.New(t)
		op.AddClient("lobby", "client-secret", l.URL+"/auth/oidc/"+ssoID+"/callback", true)
		for _, u := range users {
			op.AddUser(u)
		}
		if len(users) > 0 {
			op.SignInAs(users[0].Subject)
		}
		cfg.OIDC.Providers = []config.OIDCProvider{{ID: ssoID, Name: ssoName, Issuer: op.Issuer, ClientID: "lobby",
			ClientSecret: "client-secret", Scopes: config.DefaultScopes, NameClaim: "name", AllowedDomains: []string{}}}
		l.OP = op
	}
}

// addMember makes someone a member with a password they can sign in with (role "member",
// "admin", …), as `lobby admin create` would.
func (l *lobby) addMember(t *testing.T, email, name, role, password string) org.MemberView {
	t.Helper()
	ctx := context.Background()
	hash, err := l.App.Org.HashPassword(ctx, password)
	if err != nil {
		t.Fatal(err)
	}
	m, err := l.App.Org.AddMember(ctx, org.SystemActor("cli", "e2e test", l.Org.ID),
		org.NewMember{Email: email, Name: name, PasswordHash: hash, Role: role, Source: "admin"})
	if err != nil {
		t.Fatalf("add the member %s: %v", email, err)
	}
	return m
}

// member is the part of the API's member object the tests read.
type member struct {
	ID     string   `json:"id"`
	Email  string   `json:"email"`
	Status string   `json:"status"`
	Teams  []string `json:"teams"`
}

// invitations lists the organization's invitations through the API (q filters by address).
func (l *lobby) invitations(t *testing.T, q string) []invitation {
	t.Helper()
	var res struct{ Items []invitation }
	l.api(t, "GET", "/invitations?limit=1000&q="+q, nil, http.StatusOK, &res)
	return res.Items
}

// signIn signs the browser in on /login and waits for the dashboard.
func signIn(t *testing.T, b context.Context, l *lobby, email, password string) {
	t.Helper()
	run(t, b, "sign in as "+email,
		chromedp.Navigate(l.URL+"/login"),
		chromedp.WaitVisible(`#email`, chromedp.ByQuery),
		chromedp.SendKeys(`#email`, email, chromedp.ByQuery),
		chromedp.SendKeys(`#password`, password, chromedp.ByQuery),
		chromedp.Click(`main form button`, chromedp.ByQuery),
		chromedp.WaitVisible(`.orgs`, chromedp.ByQuery))
}

// open navigates to a path of Lobby and waits until sel is visible.
func open(t *testing.T, b context.Context, l *lobby, path, sel string) {
	t.Helper()
	run(t, b, "open "+path, chromedp.Navigate(l.URL+path), chromedp.WaitVisible(sel, chromedp.ByQuery))
}

// click clicks the first element matching the CSS selector and waits until next is visible on
// the page that follows. The old page is marked first, and the wait only ends once the marked
// page is gone, so a next that was already on the old page does not end it early.
func click(t *testing.T, b context.Context, what, sel, next string) {
	t.Helper()
	run(t, b, what, chromedp.Evaluate(`document.documentElement.dataset.e2eOld = "1"`, nil),
		chromedp.Click(sel, chromedp.ByQuery, chromedp.NodeVisible))
	deadline := time.Now().Add(stepTimeout)
	for {
		// Evaluating fails while the page is being replaced; that is part of waiting.
		var old bool
		err := chromedp.Run(b, chromedp.Evaluate(`!!document.documentElement.dataset.e2eOld`, &old))
		if err == nil && !old {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: after clicking %s the browser stayed on %s", what, sel, location(t, b))
		}
		time.Sleep(20 * time.Millisecond)
	}
	run(t, b, what, chromedp.WaitVisible(next, chromedp.ByQuery))
}

// dialogs accepts every JavaScript dialog (window.confirm of data-confirm forms) the page
// opens, and remembers what they asked.
type dialogs struct {
	mu   sync.Mutex
	msgs []string
}

func acceptDialogs(b context.Context) *dialogs {
	d := &dialogs{}
	chromedp.ListenTarget(b, func(ev any) {
		if e, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			d.mu.Lock()
			d.msgs = append(d.msgs, e.Message)
			d.mu.Unlock()
			// The handler must not block the event loop: answer from another goroutine.
			go func() { _ = chromedp.Run(b, page.HandleJavaScriptDialog(true)) }()
		}
	})
	return d
}

// last returns the last dialog's question, or "" when there was none.
func (d *dialogs) last() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.msgs) == 0 {
		return ""
	}
	return d.msgs[len(d.msgs)-1]
}

func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }

// grantClipboard lets Lobby's pages read and write the clipboard without asking.
func grantClipboard(t *testing.T, b context.Context, l *lobby) {
	t.Helper()
	run(t, b, "grant the clipboard", browser.GrantPermissions([]browser.PermissionType{
		browser.PermissionTypeClipboardReadWrite, browser.PermissionTypeClipboardSanitizedWrite}).WithOrigin(l.URL))
}

// clipboard returns what is on the browser's clipboard.
func clipboard(t *testing.T, b context.Context) string {
	t.Helper()
	var s string
	run(t, b, "read the clipboard", chromedp.Evaluate(`navigator.clipboard.readText()`, &s,
		awaitPromise))
	return s
}

// paste puts text on the clipboard and pastes it with Ctrl+V into the field sel, as a person
// pasting from a spreadsheet does; tabs and newlines arrive as they are. It needs
// grantClipboard.
func paste(t *testing.T, b context.Context, sel, text string) {
	t.Helper()
	js, _ := json.Marshal(text)
	run(t, b, "paste into "+sel,
		chromedp.Evaluate(`navigator.clipboard.writeText(`+string(js)+`)`, nil,
			awaitPromise),
		chromedp.Focus(sel, chromedp.ByQuery),
		chromedp.KeyEvent("v", chromedp.KeyModifiers(input.ModifierCtrl)))
	var got string
	run(t, b, "read "+sel, chromedp.Value(sel, &got, chromedp.ByQuery))
	if want := strings.ReplaceAll(text, "\r\n", "\n"); got != want { // a textarea keeps only \n
		t.Fatalf("after pasting, %s holds %q, not %q", sel, got, want)
	}
}

// attr returns an attribute of the first element matching the CSS selector.
func attr(t *testing.T, b context.Context, sel, name string) string {
	t.Helper()
	var v string
	var ok bool
	run(t, b, "read "+name+" of "+sel, chromedp.AttributeValue(sel, name, &v, &ok, chromedp.ByQuery))
	if !ok {
		t.Fatalf("%s has no attribute %s", sel, name)
	}
	return v
}

// rowWith is a CSS selector for the one table row with a cell or link reading s (or starting
// with a text s before other elements); the row is marked with data-e2e-row by a script first,
// as CSS cannot select by text.
func rowWith(t *testing.T, b context.Context, s string) string {
	t.Helper()
	js := jsString(s)
	var n int
	run(t, b, "find the row of "+s, chromedp.Evaluate(fmt.Sprintf(`(() => {
		const is = (e, s) => e.textContent.trim() === s || (e.firstChild && e.firstChild.textContent.trim() === s);
		const rows = [...document.querySelectorAll("tbody tr")].filter(r => [...r.querySelectorAll("a, td")].some(e => is(e, %s)));
		rows.forEach(r => r.dataset.e2eRow = %s);
		return rows.length; })()`, js, js), &n))
	if n != 1 {
		t.Fatalf("%d table rows hold %q at %s", n, s, location(t, b))
	}
	return `tr[data-e2e-row=` + js + `]`
}

// rowTexts returns the text of every table row with a cell starting with s.
func rowTexts(t *testing.T, b context.Context, s string) []string {
	t.Helper()
	var rows []string
	run(t, b, "read the rows of "+s, chromedp.Evaluate(fmt.Sprintf(`[...document.querySelectorAll("tbody tr")]
		.filter(r => [...r.querySelectorAll("td")].some(e => e.textContent.trim().startsWith(%s)))
		.map(r => r.textContent.replace(/\s+/g, " ").trim())`, jsString(s)), &rows))
	return rows
}

// jsString quotes s for JavaScript (and for a CSS attribute value).
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// status navigates to a path and returns the HTTP status of the page the browser shows.
func status(t *testing.T, b context.Context, l *lobby, path string) int64 {
	t.Helper()
	sctx, cancel := context.WithTimeout(b, stepTimeout)
	defer cancel()
	res, err := chromedp.RunResponse(sctx, chromedp.Navigate(l.URL+path))
	if err != nil || res == nil {
		t.Fatalf("open %s: %v", path, err)
	}
	return res.Status
}

var h1RE = regexp.MustCompile(`(?s)<h1>(.*?)</h1>`)

// getPage fetches a page of Lobby outside the browser (no cookies) and returns its status and
// its heading.
func getPage(t *testing.T, url string) (int, string) {
	t.Helper()
	c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	h1 := ""
	if m := h1RE.FindSubmatch(body); m != nil {
		h1 = strings.Join(strings.Fields(string(m[1])), " ")
	}
	return res.StatusCode, h1
}
