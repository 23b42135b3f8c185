package web_test

import (
	"context"
	"strings"
	"testing"
)

// With "Email the admins each time someone joins" ticked on the console's join settings, a
// person who joins through the page makes one email to each admin, naming them and linking to
// their page in the console; with it unticked, nobody is emailed.
func TestJoinNotifiesTheAdminsWhenAsked(t *testing.T) {
	s := newSite(t)
	path := s.openJoin()
	a := s.signedIn("ada@acme.test", "admin")
	save := func(notify bool) {
		t.Helper()
		fields := []string{"join_enabled", "on", "join_allowed_domains", "example.com", "join_role", "member", "join_slug", "acme-join"}
		if notify {
			fields = append(fields, "join_notify", "on")
		}
		if p := a.post("/console/acme/join", fields...); p.status != 303 {
			t.Fatalf("save join settings: %d %s", p.status, p.body)
		}
		p := a.get("/console/acme/settings")
		if checked := strings.Contains(p.body, `name="join_notify" checked`); checked != notify {
			t.Fatalf("the settings page shows the box ticked: %v, want %v", checked, notify)
		}
	}
	join := func(email, name string) {
		t.Helper()
		b := s.browser()
		b.get(path)
		b.post(path, "email", email)
		link := s.joinLink(email)
		b.get(link)
		if p := b.post(link, "step", "signup", "name", name, "password", "a long enough password"); p.status != 303 {
			t.Fatalf("join %s: %d %s", email, p.status, p.body)
		}
	}
	notices := func() []string {
		t.Helper()
		rows, err := s.db.R.QueryContext(context.Background(), `SELECT to_addr || ' ' || data FROM outbox WHERE template = 'join_notice' ORDER BY to_addr`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var r string
			if err := rows.Scan(&r); err != nil {
				t.Fatal(err)
			}
			out = append(out, r)
		}
		return out
	}

	save(false)
	join("jo@example.com", "Jo")
	if n := notices(); len(n) != 0 {
		t.Fatalf("with the box unticked, admins got %d join emails", len(n))
	}
	save(true)
	join("kim@example.com", "Kim")
	var memberID string
	if err := s.db.R.QueryRow(`SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email_norm = 'kim@example.com'`).Scan(&memberID); err != nil {
		t.Fatal(err)
	}
	got := notices()
	admins := s.count(`SELECT count(*) FROM memberships m JOIN roles r ON r.id = m.role_id WHERE r.key IN ('owner', 'admin') AND m.status = 'active'`)
	if len(got) != admins || admins < 1 {
		t.Fatalf("join emails: %d, want one to each of the %d admins: %v", len(got), admins, got)
	}
	for _, n := range got {
		if strings.HasPrefix(n, "kim@") || !strings.Contains(n, `"JoinerEmail":"kim@example.com"`) || !strings.Contains(n, `"JoinerName":"Kim"`) ||
			!strings.Contains(n, "http://lobby.test/console/acme/members/"+memberID) {
			t.Fatalf("join email %s: want it to an admin, naming Kim and linking to her page in the console", n)
		}
	}
	if !strings.Contains(strings.Join(got, "\n"), "ada@acme.test ") {
		t.Fatalf("the admin who ticked the box got no email: %v", got)
	}
}
