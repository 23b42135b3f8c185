package mail_test

import (
	"html"
	"maps"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/lobby/lobby/app/mail"
)

func invitationData() map[string]any {
	return map[string]any{"OrgName": "Acme", "InviterName": "Ada Admin", "InviterEmail": "ada@acme.test",
		"RoleName": "Member", "Teams": []any{"Sales", "Support"}, "Message": "Welcome aboard!",
		"AcceptURL": "https://lobby.test/invite/inv_SECRETTOKEN", "ExpiresAt": "Monday 2 March 2026, 10:00 UTC"}
}

// samples holds data for every email, with exactly the keys its templates need.
var samples = map[string]map[string]any{
	"invite":          invitationData(),
	"remind":          invitationData(),
	"accepted_notice": {"OrgName": "Acme", "InviteeEmail": "bob@example.com", "InviteeName": "Bob"},
	"expired_notice":  {"OrgName": "Acme", "InviteeEmail": "bob@example.com", "ResendURL": "https://lobby.test/console/people?status=expired"},
	"password_reset":  {"ResetURL": "https://lobby.test/reset/rst_SECRET", "ExpiresIn": "1 hour"},
	"reset_invite":    {"OrgName": "Acme", "AcceptURL": "https://lobby.test/invite/inv_SECRET"},
	"join_confirm":    {"OrgName": "Acme", "ConfirmURL": "https://lobby.test/join/acme/confirm/jn_SECRET", "ExpiresIn": "1 hour"},
	"join_member":     {"OrgName": "Acme", "LoginURL": "https://lobby.test/login"},
	"join_decided":    {"OrgName": "Acme", "Approved": true, "LoginURL": "https://lobby.test/login"},
	"join_request":    {"OrgName": "Acme", "RequesterName": "Ana", "RequesterEmail": "ana@example.com", "ReviewURL": "https://lobby.test/console/acme/invitations/1"},
	"join_notice": {"OrgName": "Acme", "JoinerName": "Ana", "JoinerEmail": "ana@example.com", "RoleName": "Member",
		"MemberURL": "https://lobby.test/console/acme/members/1"},
	"resend_request": {"OrgName": "Acme", "InviteeEmail": "bob@example.com", "ResendURL": "https://lobby.test/console/invitations/1"},
	"welcome":        {"OrgName": "Acme", "LoginURL": "https://lobby.test/login"},
}

func newRenderer(t *testing.T) *mail.Renderer {
	t.Helper()
	r, err := mail.NewRenderer(os.DirFS("../../public"))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestEveryTemplateRendersAndUsesEveryKey(t *testing.T) {
	t.Parallel()
	r := newRenderer(t)
	if got, want := r.Names(), slices.Sorted(maps.Keys(samples)); !slices.Equal(got, want) {
		t.Fatalf("templates %v, samples for %v", got, want)
	}
	for name, data := range samples {
		msg, err := r.Render(name, data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if msg.Subject == "" || strings.ContainsAny(msg.Subject, "\r\n{}") || strings.Contains(msg.Text, "<no value>") {
			t.Errorf("%s: subject %q", name, msg.Subject)
		}
		if !strings.HasPrefix(msg.HTML, "<!DOCTYPE html>") || !strings.Contains(msg.HTML, "max-width:560px") {
			t.Errorf("%s: HTML is not the card layout:\n%s", name, msg.HTML)
		}
		for k, v := range data {
			s, ok := v.(string)
			if !ok || !strings.HasPrefix(s, "https://") {
				continue
			}
			if !strings.Contains(msg.Text, s) {
				t.Errorf("%s: text lacks %s=%s:\n%s", name, k, s, msg.Text)
			}
			if !strings.Contains(html.UnescapeString(msg.HTML), `href="`+s+`"`) {
				t.Errorf("%s: HTML has no link to %s", name, s)
			}
		}
		// Every key is used: without it the email does not render.
		for k := range data {
			partial := maps.Clone(data)
			delete(partial, k)
			if _, err := r.Render(name, partial); err == nil || !strings.Contains(err.Error(), k) {
				t.Errorf("%s without %s rendered (err %v); a missing key must fail", name, k, err)
			}
		}
	}
}

func TestInviteReadsWell(t *testing.T) {
	t.Parallel()
	msg, err := newRenderer(t).Render("invite", invitationData())
	if err != nil {
		t.Fatal(err)
	}
	if msg.Subject != "You're invited to join Acme" {
		t.Errorf("subject %q", msg.Subject)
	}
	for _, want := range []string{"Ada Admin (ada@acme.test) invited you to join Acme as Member in Sales, Support.",
		"Welcome aboard!", "Monday 2 March 2026, 10:00 UTC"} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, msg.Text)
		}
	}
	d := invitationData()
	d["Teams"], d["Message"], d["InviterName"] = nil, "", ""
	msg, _ = newRenderer(t).Render("invite", d)
	if !strings.Contains(msg.Text, "You are invited to join Acme as Member.") || strings.Contains(msg.Text, "Their message") {
		t.Errorf("optional parts shown when empty:\n%s", msg.Text)
	}
	if msg, _ = newRenderer(t).Render("remind", d); !strings.Contains(msg.Text, "A quick reminder: you are invited to join Acme as Member") {
		t.Errorf("a reminder with no inviter:\n%s", msg.Text)
	}
}

func TestJoinRequestNamesTheRequester(t *testing.T) {
	t.Parallel()
	d := maps.Clone(samples["join_request"])
	msg, err := newRenderer(t).Render("join_request", d)
	if err != nil {
		t.Fatal(err)
	}
	if msg.Subject != "Ana asked to join Acme" || !strings.Contains(msg.Text, "Ana (ana@example.com) confirmed their address") ||
		!strings.Contains(msg.HTML, ">Review the request</a>") {
		t.Errorf("with a name:\n%s\n%s", msg.Subject, msg.Text)
	}
	// Someone who gave no name (an account from a provider without one) is named by address.
	d["RequesterName"] = ""
	if msg, _ = newRenderer(t).Render("join_request", d); msg.Subject != "ana@example.com asked to join Acme" ||
		!strings.Contains(msg.Text, "\nana@example.com confirmed their address") {
		t.Errorf("without a name:\n%s\n%s", msg.Subject, msg.Text)
	}
	// A name is what the person typed: it cannot add a header or markup.
	d["RequesterName"] = "Eve\r\nBcc: all@acme.test <b>now</b>"
	if msg, _ = newRenderer(t).Render("join_request", d); strings.ContainsAny(msg.Subject, "\r\n") || strings.Contains(msg.HTML, "<b>now") {
		t.Errorf("hostile name:\n%q\n%s", msg.Subject, msg.HTML)
	}
}

func TestTemplatesEscapeHostileData(t *testing.T) {
	t.Parallel()
	d := invitationData()
	d["OrgName"] = "Evil\r\nBcc: victim@example.com"
	d["Message"] = `<script>alert(1)</script><a href="https://phish.test">click</a>`
	d["AcceptURL"] = "javascript:alert(1)"
	msg, err := newRenderer(t).Render("invite", d)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(msg.Subject, "\r\n") {
		t.Errorf("subject keeps a line break: %q", msg.Subject)
	}
	if strings.Contains(msg.HTML, "<script>") || strings.Contains(msg.HTML, `href="https://phish.test"`) {
		t.Error("HTML lets the message inject markup")
	}
	if strings.Contains(msg.HTML, `href="javascript:`) {
		t.Error("HTML links to a javascript: URL")
	}
}

func TestExpiredNoticeListsADigest(t *testing.T) {
	t.Parallel()
	d := maps.Clone(samples["expired_notice"])
	d["InviteeEmails"] = []any{"a@example.com", "b@example.com"}
	d["More"] = 3
	msg, err := newRenderer(t).Render("expired_notice", d)
	if err != nil {
		t.Fatal(err)
	}
	if msg.Subject != "2 invitations to Acme expired" || !strings.Contains(msg.Text, "- b@example.com") ||
		!strings.Contains(msg.Text, "and 3 more") || !strings.Contains(msg.HTML, "<li>b@example.com</li>") {
		t.Fatalf("digest:\n%s\n%s", msg.Subject, msg.Text)
	}
}

func TestNewRendererRefusesBrokenTemplates(t *testing.T) {
	t.Parallel()
	ok := "Subject: Hi {{.OrgName}}\nHello"
	for name, files := range map[string]fstest.MapFS{
		"no subject":   {"templates/mail/a.txt.tmpl": {Data: []byte("Hello")}, "templates/mail/a.html.tmpl": {Data: []byte("x")}},
		"no HTML half": {"templates/mail/a.txt.tmpl": {Data: []byte(ok)}},
		"no text half": {"templates/mail/a.html.tmpl": {Data: []byte("x")}},
		"bad syntax":   {"templates/mail/a.txt.tmpl": {Data: []byte(ok + "{{.X")}, "templates/mail/a.html.tmpl": {Data: []byte("x")}},
		"empty":        {},
	} {
		if _, err := mail.NewRenderer(files); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	r, err := mail.NewRenderer(fstest.MapFS{"templates/mail/a.txt.tmpl": {Data: []byte(ok)}, "templates/mail/a.html.tmpl": {Data: []byte("<b>{{.OrgName}}</b>")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Render("nope", nil); err == nil {
		t.Error("unknown template rendered")
	}
}

// A reset email names the site the account is on, not the software behind it; one queued
// before the site was in its data still renders.
func TestResetMailNamesTheSite(t *testing.T) {
	t.Parallel()
	r := newRenderer(t)
	for _, name := range []string{"password_reset", "reset_invite"} {
		data := maps.Clone(samples[name])
		data["Site"] = "people.acme.example"
		msg, err := r.Render(name, data)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(msg.Text, "for this email address at people.acme.example.") ||
			!strings.Contains(msg.HTML, "at <strong>people.acme.example</strong>") || strings.Contains(msg.Subject+msg.Text+msg.HTML, "Lobby") {
			t.Errorf("%s: %q\n%s", name, msg.Subject, msg.Text)
		}
	}
}

// The note to the inviter links to the new member in the console; one queued before the
// link was in its data still renders, without the button.
func TestAcceptedNoticeLinksToTheMember(t *testing.T) {
	t.Parallel()
	r := newRenderer(t)
	const url = "https://lobby.test/console/acme/members/m1"
	data := maps.Clone(samples["accepted_notice"])
	data["MemberURL"] = url
	msg, err := r.Render("accepted_notice", data)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg.Text, "See them in the console:\n\n"+url+"\n") ||
		!strings.Contains(msg.HTML, `href="`+url+`"`) || !strings.Contains(msg.HTML, ">See them in the console</a>") {
		t.Errorf("with the link:\n%s\n%s", msg.Text, msg.HTML)
	}
	old, err := r.Render("accepted_notice", samples["accepted_notice"])
	if err != nil {
		t.Fatalf("an email queued without MemberURL: %v", err)
	}
	if strings.Contains(old.Text+old.HTML, "See them") {
		t.Errorf("without a link, a button to nowhere:\n%s", old.HTML)
	}
}

// The footer line of every HTML email ("This email was sent automatically.", small text on the
// grey page) has a contrast of at least 4.5:1, what WCAG AA asks of text this size.
func TestMailFooterIsReadable(t *testing.T) {
	t.Parallel()
	msg, err := newRenderer(t).Render("welcome", samples["welcome"])
	if err != nil {
		t.Fatal(err)
	}
	body := regexp.MustCompile(`<body style="[^"]*background-color:(#[0-9a-f]{6})`).FindStringSubmatch(msg.HTML)
	foot := regexp.MustCompile(`color:(#[0-9a-f]{6});">This email was sent automatically\.`).FindStringSubmatch(msg.HTML)
	if body == nil || foot == nil {
		t.Fatalf("no page colour or footer colour in:\n%s", msg.HTML)
	}
	if c := contrast(body[1], foot[1]); c < 4.5 {
		t.Errorf("the footer %s on %s has a contrast of %.2f:1", foot[1], body[1], c)
	}
}

// contrast is the WCAG contrast ratio of two #rrggbb colours.
func contrast(a, b string) float64 {
	lum := func(hex string) float64 {
		var rgb [3]float64
		for i := range rgb {
			n, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
			c := float64(n) / 255
			if c <= 0.04045 {
				rgb[i] = c / 12.92
			} else {
				rgb[i] = math.Pow((c+0.055)/1.055, 2.4)
			}
		}
		return 0.2126*rgb[0] + 0.7152*rgb[1] + 0.0722*rgb[2]
	}
	l1, l2 := lum(a), lum(b)
	return (max(l1, l2) + 0.05) / (min(l1, l2) + 0.05)
}
