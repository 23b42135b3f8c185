package web_test

import (
	"context"
	"strings"
	"testing"
	"time"
)

// An invitation's page tells its story in order, each line dated: made, its email sent (or
// not delivered, with the mail server's reason), the link first opened, sent again; a
// failed email says why.
func TestConsoleInvitationHistoryTellsWhatHappened(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	a := s.signedIn("ada@acme.test", "admin")
	mailOf := func(email string) string {
		t.Helper()
		var id string
		if err := s.db.R.QueryRow(`SELECT id FROM outbox WHERE to_addr = ? AND status = 'queued' ORDER BY id DESC LIMIT 1`, email).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	idOf := func(email string) string {
		t.Helper()
		var id string
		if err := s.db.R.QueryRow(`SELECT id FROM invitations WHERE email_norm = ?`, email).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	step := func() { s.clock.Add(time.Minute) }

	// Ivy: invited, the email goes out, she opens the link.
	link := s.invite("ivy@example.com")
	step()
	if err := s.db.MarkMailSent(ctx, mailOf("ivy@example.com"), "m1", nil, s.clock.Now().UnixMilli()); err != nil {
		t.Fatal(err)
	}
	step()
	s.browser().get(link)
	p := a.get("/console/acme/invitations/" + idOf("ivy@example.com"))
	history := p.body[strings.Index(p.body, "<h2>History</h2>"):]
	want := []string{"Invited", "Invitation email sent", "The link was first opened"}
	last := -1
	for _, w := range want {
		i := strings.Index(history, w)
		if i < 0 || i < last {
			t.Fatalf("history lacks %q after the lines before it (want %q in order):\n%s", w, want, history)
		}
		last = i
	}

	// Max: the mail server refuses the email for good.
	s.invite("max@example.com")
	step()
	if err := s.db.MarkMailFailed(ctx, mailOf("max@example.com"), "550 5.1.1 mailbox unavailable", nil, s.clock.Now().UnixMilli()); err != nil {
		t.Fatal(err)
	}
	p = a.get("/console/acme/invitations/" + idOf("max@example.com"))
	p.mustContain(t, "Invitation email could not be delivered", "550 5.1.1 mailbox unavailable")
	if strings.Contains(p.body, "Invitation email sent") {
		t.Fatalf("a failed email is shown as sent:\n%s", p.body)
	}
}
