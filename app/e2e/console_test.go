package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// pasted is a list as it comes out of a spreadsheet and an email client: tabs, commas,
// semicolons, blank lines, "Name <email>" (one with a quoted comma), 20 new addresses, one that
// is not an address, one listed twice (in other case) and one of an existing member.
const pasted = "Ada Lovelace <ada@example.test>\tgrace@example.test\tHenry Ford <henry@example.test>\n" +
	"ivan@example.test, judy@example.test; ken@example.test\r\n" +
	"\"Lamport, Leslie\" <leslie@example.test>;mallory@example.test\n" +
	"niaj@example.test\n\n" +
	"olivia@example.test\toscar@example.test\tpeggy@example.test\n" +
	"quentin@example.test,rupert@example.test\n" +
	"sybil@example.test; trent@example.test\n" +
	"Uma Thurman <uma@example.test>, victor@example.test\n" +
	"walter@example.test\n" +
	"xavier@example.test\tnot-an-address\tGRACE@example.test\n" +
	"bob@northwind.test\n"

// TestConsoleInvitePasteToViewAs follows Alice, the owner, through a working session in the
// console: paste a list, preview it (nothing created), send without email, copy a link, resend
// one invitation, revoke another, deactivate and reactivate Bob, put him in a team and look at
// his page through "View as". Each step is checked as Alice sees it and through the API.
func TestConsoleInvitePasteToViewAs(t *testing.T) {
	t.Parallel()
	chromium(t) // first, so a missing browser fails (or skips) at once
	l := startLobby(t)
	b := newBrowser(t)
	asked := acceptDialogs(b)
	grantClipboard(t, b, l)
	l.api(t, "POST", "/teams", map[string]any{"name": "Field research"}, http.StatusCreated, nil)
	l.api(t, "POST", "/teams", map[string]any{"name": "Sales"}, http.StatusCreated, nil)
	bob := l.addMember(t, "bob@northwind.test", "Bob Stone", "member", "bob's long password")
	console := "/console/" + orgSlug

	signIn(t, b, l, ownerEmail, ownerPassword)
	click(t, b, "open the console from the dashboard", `.orgs a[href="`+console+`"]`, `.console-head`)
	wantText(t, b, ".console-head h1", orgName)
	wantText(t, b, ".seats", "Seats: 2 used, no limit")
	wantText(t, b, "table.people", ownerName, "Bob Stone")
	// The bulk bar shows the role and team lists only for the actions that use them.
	const lists = `["role", "team"].map(n => !document.querySelector("#bulk select[name=" + n + "]").hidden)`
	var before, after []bool
	run(t, b, "pick a bulk action that needs a team", chromedp.Evaluate(lists, &before),
		chromedp.SetValue(`#action`, "team", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector("#action").dispatchEvent(new Event("change"))`, nil),
		chromedp.Evaluate(lists, &after))
	if fmt.Sprint(before, after) != "[false false] [false true]" {
		t.Errorf("the bulk bar shows the role and team lists %v before an action is chosen, %v for adding to a team", before, after)
	}

	// Paste, preview: per-address outcomes, and nothing is created.
	click(t, b, "open the invite form", `.console-head a.button`, `#emails`)
	screenshot(t, b, "console-invite")
	paste(t, b, "#emails", pasted)
	run(t, b, "untick the email and pick a team",
		chromedp.Click(`input[name=notify]`, chromedp.ByQuery),
		chromedp.Click(`input[name=teams][value="Field research"]`, chromedp.ByQuery))
	click(t, b, "preview", `button[name=step][value=preview]`, `button[name=step][value=send]`)
	wantText(t, b, "main h3", "Preview — nothing has been sent yet")
	if n := countNodes(t, b, `main form tbody tr`); n != 23 {
		t.Errorf("the preview has %d rows for 20 new addresses, 1 invalid, 1 repeated and 1 member", n)
	}
	if n := countNodes(t, b, `main form tbody .outcome-new`); n != 20 {
		t.Errorf("the preview says %d addresses will be invited, want 20", n)
	}
	wantText(t, b, rowWith(t, b, "not-an-address"), "not-an-address")
	if rows := rowTexts(t, b, "grace@example.test"); len(rows) != 2 || !strings.Contains(rows[0]+rows[1], "listed more than once") {
		t.Errorf("Grace, listed twice, has these rows: %q", rows)
	}
	wantText(t, b, rowWith(t, b, "bob@northwind.test"), "already a member of "+orgName)
	wantText(t, b, rowWith(t, b, "leslie@example.test"), "Lamport, Leslie")
	wantText(t, b, `button[name=step][value=send]`, "Invite 20 people")
	var notify bool
	run(t, b, "read the email box", chromedp.Evaluate(`document.querySelector("input[name=notify]").checked`, &notify))
	if notify {
		t.Errorf("after the preview the email box is ticked again")
	}
	screenshot(t, b, "console-invite-preview")
	if got := l.invitations(t, ""); len(got) != 0 {
		t.Fatalf("the preview created %d invitations", len(got))
	}

	// Send without email: 20 invitations, each with a link to copy.
	click(t, b, "send", `button[name=step][value=send]`, `[data-copy]`)
	wantText(t, b, "main h2", "20 invited, 3 left out (see below)")
	wantText(t, b, "main .card p", "No email was sent")
	if n := countNodes(t, b, `[data-copy]`); n != 20 {
		t.Errorf("the result offers %d links to copy, want 20", n)
	}
	screenshot(t, b, "console-invite-result")
	invs := l.invitations(t, "")
	if len(invs) != 20 {
		t.Fatalf("sending created %d invitations, want 20", len(invs))
	}
	for _, inv := range invs {
		if inv.Status != "pending" || len(inv.Teams) != 1 || inv.Teams[0] != "Field research" {
			t.Errorf("invitation %s is %s with teams %v", inv.Email, inv.Status, inv.Teams)
		}
	}

	// Copy Ivan's link: the clipboard holds her invitation link, which opens her invitation.
	ivan := rowWith(t, b, "ivan@example.test")
	want := attr(t, b, ivan+" [data-copy]", "data-copy")
	if label := attr(t, b, ivan+" [data-copy]", "aria-label"); label != "Copy link for ivan@example.test" {
		t.Errorf("Ivan's Copy link button is named %q", label)
	}
	run(t, b, "copy Ivan's link", chromedp.Click(ivan+" [data-copy]", chromedp.ByQuery),
		chromedp.Poll(`(b => b.textContent === "Copied" && b.getAttribute("aria-label") === "Copied")(document.querySelector(`+
			jsString(ivan+" [data-copy]")+`))`, nil))
	run(t, b, "wait for the button's name to come back", chromedp.Poll(`document.querySelector(`+jsString(ivan+" [data-copy]")+
		`).getAttribute("aria-label") === "Copy link for ivan@example.test"`, nil))
	copied := clipboard(t, b)
	if copied != want || !strings.HasPrefix(copied, l.URL+"/invite/") {
		t.Errorf("Copy link put %q on the clipboard; the button holds %q", copied, want)
	}
	if status, h1 := getPage(t, copied); status != http.StatusOK || h1 != ownerName+" invited you to join "+orgName {
		t.Errorf("the copied link answers %d %q", status, h1)
	}

	// Resend Ivan's: an email with a new link, and the copied one stops working.
	click(t, b, "open Ivan's invitation", ivan+" a", `.facts`)
	wantText(t, b, ".facts", "Pending", "Not sent", "Field research", ownerName, "0 times")
	screenshot(t, b, "console-invitation")
	click(t, b, "resend Ivan's invitation", `form[action$="/resend"]:not(:has(input[name=notify])) button`, `.notice`)
	wantText(t, b, ".notice", "Sent with a new link. Any link copied before no longer works.")
	wantText(t, b, ".facts", "1 time")
	wantText(t, b, ".history", "Sent again with a new link by "+ownerName)
	mail := l.waitMail(t, "ivan@example.test")
	if fresh := mail.link(t, l.URL+"/invite/"); fresh == copied {
		t.Errorf("the resent email carries the old link")
	}
	if status, _ := getPage(t, copied); status == http.StatusOK {
		t.Errorf("after the resend the old link still answers 200")
	}

	// Revoke Henry's, answering the confirmation.
	open(t, b, l, console+"?q=henry", `table.people`)
	click(t, b, "open Henry's invitation", rowWith(t, b, "Henry Ford")+" a", `.facts`)
	click(t, b, "revoke Henry's invitation", `form[action$="/revoke"] button`, `.notice`)
	if q := asked.last(); !strings.Contains(q, "Revoke the invitation for henry@example.test?") {
		t.Errorf("revoking asked %q", q)
	}
	wantText(t, b, ".notice", "Revoked. The link no longer works.")
	wantText(t, b, ".facts", "Revoked")
	if n := countNodes(t, b, `form[action$="/revoke"], form[action$="/resend"], form[action$="/edit"]`); n != 0 {
		t.Errorf("a revoked invitation still offers %d forms to revoke, resend or edit it", n)
	}
	if got := l.invitations(t, "henry"); len(got) != 1 || got[0].Status != "revoked" {
		t.Errorf("the API has Henry's invitation as %+v", got)
	}

	// Deactivate Bob, then reactivate him.
	open(t, b, l, console+"?q=bob", `table.people`)
	click(t, b, "open Bob's page", rowWith(t, b, "Bob Stone")+" a", `.facts`)
	screenshot(t, b, "console-member")
	seats := text(t, b, ".seats")
	click(t, b, "deactivate Bob", `form[action$="/deactivate"] button`, `.notice`)
	if q := asked.last(); !strings.Contains(q, "Deactivate bob@northwind.test?") {
		t.Errorf("deactivating asked %q", q)
	}
	wantText(t, b, ".notice", "Deactivated. Their seat is free")
	wantText(t, b, ".facts", "Deactivated")
	if now := text(t, b, ".seats"); now == seats {
		t.Errorf("deactivating Bob left the seats at %q", now)
	}
	var m member
	l.api(t, "GET", "/members/"+bob.ID, nil, http.StatusOK, &m)
	if m.Status != "deactivated" {
		t.Errorf("after deactivating, the API has Bob %s", m.Status)
	}
	click(t, b, "reactivate Bob", `form[action$="/reactivate"] button`, `.notice`)
	wantText(t, b, ".notice", "Reactivated.")
	wantText(t, b, ".facts", "Active")
	wantText(t, b, ".seats", seats)

	// Put Bob in Sales.
	run(t, b, "tick Sales", chromedp.Click(`input[name=teams][value="Sales"]`, chromedp.ByQuery))
	click(t, b, "save Bob's teams", `form[action$="/update"] button`, `.notice`)
	wantText(t, b, ".notice", "Saved.")
	wantText(t, b, ".facts", "Sales")
	l.api(t, "GET", "/members/"+bob.ID, nil, http.StatusOK, &m)
	if m.Status != "active" || len(m.Teams) != 1 || m.Teams[0] != "Sales" {
		t.Errorf("the API has Bob %s in %v", m.Status, m.Teams)
	}

	// View as Bob: his dashboard, read-only, and the audit log says Alice looked.
	click(t, b, "view as Bob", `a[href$="/members/`+bob.ID+`/view"]`, `.orgs`)
	wantText(t, b, "h1", "Hello, Bob Stone")
	wantText(t, b, "main .notice", "You are viewing Bob Stone's page as they see it", "Back to Bob Stone in the console")
	wantText(t, b, "header", ownerName)
	wantText(t, b, ".orgs", orgName, "Member", "Sales")
	if n := countNodes(t, b, `main form, .orgs a[href^="/console"]`); n != 0 {
		t.Errorf("View as offers %d forms or console links", n)
	}
	screenshot(t, b, "console-view-as")
	open(t, b, l, console+"/audit?action=member.viewed_as", `.filters`)
	wantText(t, b, "main table", ownerName, "· person", "Member's page viewed by an admin", "member.viewed_as", "Email: bob@northwind.test")
	if got := text(t, b, "main table"); strings.Contains(got, "session") || strings.Contains(got, "(user)") {
		t.Errorf("the audit log shows raw details or kinds: %q", got)
	}

	// The other screens, for the screenshots and to see they render.
	open(t, b, l, console+"/audit", `main table`)
	wantText(t, b, "main table", "Invitation revoked", "Member deactivated", "Member reactivated", "invitation.revoked")
	screenshot(t, b, "console-audit")
	open(t, b, l, console+"/teams", `main table`)
	wantText(t, b, rowWith(t, b, "Sales"), "1")
	screenshot(t, b, "console-teams")
	open(t, b, l, console+"/roles", `main table`)
	wantText(t, b, "main table", "Owner", "Admin", "Member")
	screenshot(t, b, "console-roles")
	open(t, b, l, console+"/mail", `main table`)
	wantText(t, b, rowWith(t, b, "ivan@example.test"), "Invitation", "Sent")
	wantText(t, b, "main form", "Status", "Delivery failed")
	screenshot(t, b, "console-mail")
	click(t, b, "open the mail to Ivan", rowWith(t, b, "ivan@example.test")+" a", `pre.mail`)
	screenshot(t, b, "console-mail-one")
	open(t, b, l, console+"/jobs", `main table`)
	click(t, b, "run the expire job", `form[action$="/jobs/expire/run"] button`, `.notice`)
	wantText(t, b, ".notice", "Expired 0 invitations.")
	wantText(t, b, rowWith(t, b, "Expire invitations"), "Every minute", "Expired 0 invitations.")
	wantText(t, b, rowWith(t, b, "Send reminders"), "Every 10 minutes")
	wantText(t, b, rowWith(t, b, "Clean up old records"), "Every hour")
	screenshot(t, b, "console-jobs")
	l.api(t, "PATCH", "/settings", map[string]any{"join_enabled": true, "join_allowed_domains": []string{"example.test"}},
		http.StatusOK, nil)
	open(t, b, l, console+"/settings", `#join .qr svg`)
	wantText(t, b, "#join .token", l.URL+"/join/")
	screenshot(t, b, "console-settings")
	open(t, b, l, console, `table.people`)
	screenshot(t, b, "console-people")
	// On a phone the list fits the screen, and everyone's role shows.
	var sideways, roles bool
	run(t, b, "look at the People list on a phone",
		chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Evaluate(`(() => { const w = document.querySelector(".table-wrap");
			return document.documentElement.scrollWidth > window.innerWidth || w.scrollWidth > w.clientWidth; })()`, &sideways),
		chromedp.Evaluate(`[...document.querySelectorAll("table.people tr")].filter(tr => /Bob Stone|`+ownerName+`/.test(tr.textContent))
			.every(tr => { const r = tr.cells[3].getBoundingClientRect();
				return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth; })`, &roles),
		chromedp.EmulateReset(), chromedp.EmulateViewport(desktopWidth, desktopHeight))
	if sideways || !roles {
		t.Errorf("on a phone the People list scrolls sideways (%v) or hides a role (%v)", sideways, !roles)
	}

	// Revoke in bulk: Xavier's invitation and Bob, a member. The console asks first, on a page
	// of its own, and then says Bob was left alone and why.
	run(t, b, "select Xavier and Bob, and choose to revoke",
		chromedp.Click(rowWith(t, b, "xavier@example.test")+` input[name=sel]`, chromedp.ByQuery),
		chromedp.Click(rowWith(t, b, "Bob Stone")+` input[name=sel]`, chromedp.ByQuery),
		chromedp.SetValue(`#action`, "revoke", chromedp.ByQuery))
	click(t, b, "apply", `#bulk .bulkbar button`, `main form button.danger`)
	wantText(t, b, "main .card", "Revoke 1 invitation?", "Their links stop working at once.", "xavier@example.test",
		"Left as they are: Bob Stone is a member. Revoke works on invitations only.")
	if got := l.invitations(t, "xavier"); len(got) != 1 || got[0].Status != "pending" {
		t.Errorf("before the confirmation the API has Xavier's invitation as %+v", got)
	}
	screenshot(t, b, "console-bulk-confirm")
	click(t, b, "confirm", `main form button.danger`, `.notice`)
	wantText(t, b, ".notice", "Revoked 1 invitation. Not for the others: Bob Stone is a member. Revoke works on invitations only.")
	if got := l.invitations(t, "xavier"); len(got) != 1 || got[0].Status != "revoked" {
		t.Errorf("after the confirmation the API has Xavier's invitation as %+v", got)
	}
}

// TestConsoleIsForAdmins: a member who opens the console gets the 403 page with a way home,
// and their dashboard offers no console.
func TestConsoleIsForAdmins(t *testing.T) {
	t.Parallel()
	chromium(t) // first, so a missing browser fails (or skips) at once
	l := startLobby(t)
	b := newBrowser(t)
	l.addMember(t, "bob@northwind.test", "Bob Stone", "member", "bob's long password")

	signIn(t, b, l, "bob@northwind.test", "bob's long password")
	if n := countNodes(t, b, `a[href^="/console"]`); n != 0 {
		t.Errorf("Bob's dashboard shows %d links to the console", n)
	}
	if st := status(t, b, l, "/console/"+orgSlug); st != http.StatusForbidden {
		t.Errorf("the console answers Bob %d, not 403", st)
	}
	wantText(t, b, "h1", "This page is for admins")
	wantText(t, b, "main", "doesn't include the console")
	if n := countNodes(t, b, `table, .tabs`); n != 0 {
		t.Errorf("the 403 page shows %d bits of the console", n)
	}
	screenshot(t, b, "console-forbidden")
	click(t, b, "go home", `main a[href="/"]`, `.orgs`)
	wantText(t, b, "h1", "Hello, Bob Stone")
}
