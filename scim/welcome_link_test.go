package scim_test

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lobby/lobby/app/mail"
	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store/storetest"
	"github.com/lobby/lobby/auth/password"
	"github.com/lobby/lobby/scim"
)

// TestWelcomeEmailLinksToThisLobbysSignIn: with scim.welcome_email on, a person an identity
// provider creates gets a welcome email whose sign-in link is this Lobby's login page, built
// from its base URL (here one with a path, as behind a reverse proxy), in the text and on the
// button of the HTML.
func TestWelcomeEmailLinksToThisLobbysSignIn(t *testing.T) {
	t.Parallel()
	const base = "https://people.acme.example/lobby"
	ctx := context.Background()
	db := storetest.Open(t)
	c := storetest.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	svc := org.New(db, org.Options{BaseURL: base, Now: c.Now, Hasher: password.New(1)})
	o, err := svc.CreateOrg(ctx, org.SystemActor("cli", "test", ""), "acme", "Acme")
	if err != nil {
		t.Fatal(err)
	}
	policy := org.SCIMPolicy{Role: "member", MaxRole: "member", DeleteMode: "delete", WelcomeEmail: true}
	e := &env{t: t, ctx: ctx, db: db, svc: svc, clock: c, org: o, admin: org.SystemActor("cli", "test", o.ID), policy: policy}
	e.token = e.newToken(o.ID, "Entra provisioning")
	e.srv = serve(t, scim.Deps{Org: svc, Policy: policy, BaseURL: base, MaxBody: 64 << 10})

	e.createUser("Nia@Acme.test", "nia")
	var template, to, data string
	if err := db.R.QueryRowContext(ctx, `SELECT template, to_addr, data FROM outbox WHERE org_id = ?`, o.ID).Scan(&template, &to, &data); err != nil {
		t.Fatalf("no email queued for the new SCIM user: %v", err)
	}
	if template != "welcome" || to != "nia@acme.test" {
		t.Fatalf("queued %q to %q, want the welcome email to nia@acme.test", template, to)
	}
	var fields map[string]any
	if err := json.Unmarshal([]byte(data), &fields); err != nil {
		t.Fatal(err)
	}
	r, err := mail.NewRenderer(os.DirFS("../public"))
	if err != nil {
		t.Fatal(err)
	}
	msg, err := r.Render(template, fields)
	if err != nil {
		t.Fatal(err)
	}
	link := base + "/login"
	if msg.Subject != "Welcome to Acme" || !strings.Contains(msg.Text, "\n"+link+"\n") {
		t.Fatalf("the welcome email's text does not link to %s:\nSubject: %s\n%s", link, msg.Subject, msg.Text)
	}
	if hrefs := hrefPattern.FindAllString(msg.HTML, -1); !slices.Contains(hrefs, `href="`+link+`"`) {
		t.Fatalf("the welcome email's HTML does not link to %s; its links: %q", link, hrefs)
	}
}

// hrefPattern finds the links of an HTML email.
var hrefPattern = regexp.MustCompile(`href="[^"]*"`)
