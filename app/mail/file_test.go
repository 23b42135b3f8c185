package mail_test

import (
	"context"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	lmail "github.com/lobby/lobby/app/mail"
)

func TestFileTransportWritesAParseableEml(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data", "mail")
	ft, err := lmail.NewFileTransport(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(dir); err != nil || st.Mode().Perm() != 0o750 {
		t.Fatalf("mail folder: %v %v", st, err)
	}
	msg, err := newRenderer(t).Render("invite", invitationData())
	if err != nil {
		t.Fatal(err)
	}
	id, err := ft.Send(context.Background(), "Lobby <lobby@acme.test>", "bob@example.com", msg, map[string]string{
		lmail.HeaderOutboxID: "0190a0b0-0000-7000-8000-000000000001", "X-Lobby-Invitation": "inv-1",
		"Message-ID": "0190a0b0-0000-7000-8000-000000000001@acme.test", "Auto-Submitted": "auto-generated"})
	if err != nil {
		t.Fatal(err)
	}
	files, _ := os.ReadDir(dir)
	if len(files) != 1 || !regexp.MustCompile(`^\d{13}-0190a0b0-0000-7000-8000-000000000001\.eml$`).MatchString(files[0].Name()) {
		t.Fatalf("files %v, want one <unixms>-<id>.eml", files)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, files[0].Name()))
	p := parseMail(t, raw)
	h := p.Header
	if h.Get("To") != "<bob@example.com>" && h.Get("To") != "bob@example.com" {
		t.Errorf("To = %q", h.Get("To"))
	}
	if from, err := mail.ParseAddress(h.Get("From")); err != nil || from.Address != "lobby@acme.test" || from.Name != "Lobby" {
		t.Errorf("From = %q", h.Get("From"))
	}
	if _, err := h.Date(); err != nil {
		t.Errorf("Date: %v", err)
	}
	if id != "<0190a0b0-0000-7000-8000-000000000001@acme.test>" || h.Get("Message-Id") != id {
		t.Errorf("Message-ID %q, returned %q", h.Get("Message-Id"), id)
	}
	if p.Subject != "You're invited to join Acme" || h.Get("X-Lobby-Invitation") != "inv-1" ||
		h.Get("X-Lobby-Outbox-Id") != "0190a0b0-0000-7000-8000-000000000001" || h.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("headers: %v, subject %q", h, p.Subject)
	}
	if !strings.Contains(p.Text, "https://lobby.test/invite/inv_SECRETTOKEN") || !strings.Contains(p.HTML, `href="https://lobby.test/invite/inv_SECRETTOKEN"`) {
		t.Error("the accept link is missing from a part")
	}
}

func TestHeadersCannotAddRecipients(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ft, err := lmail.NewFileTransport(dir)
	if err != nil {
		t.Fatal(err)
	}
	msg := lmail.Message{Subject: "Hi\r\nBcc: evil@example.com", Text: "x", HTML: "<p>x</p>"}
	ctx := context.Background()
	for _, h := range []map[string]string{{"Bcc": "evil@example.com"}, {"cc": "evil@example.com"}, {"To": "evil@example.com"},
		{"Content-Type": "text/plain"}, {"X-Bad: y\r\nBcc": "z"}} {
		if _, err := ft.Send(ctx, "lobby@acme.test", "bob@example.com", msg, h); err == nil {
			t.Errorf("header %v accepted", h)
		}
	}
	for _, to := range []string{"Bob <bob@example.com>", "bob@example.com, evil@example.com", "bob@example.com\r\nBcc: evil@example.com"} {
		if _, err := ft.Send(ctx, "lobby@acme.test", to, msg, nil); err == nil {
			t.Errorf("recipient %q accepted", to)
		}
	}
	if _, err := ft.Send(ctx, "lobby@acme.test", "bob@example.com", msg, map[string]string{"X-Note": "a\r\nBcc: evil@example.com"}); err != nil {
		t.Fatal(err)
	}
	files, _ := os.ReadDir(dir)
	if len(files) != 1 {
		t.Fatalf("%d files, want 1", len(files))
	}
	raw, _ := os.ReadFile(filepath.Join(dir, files[0].Name()))
	p := parseMail(t, raw)
	if len(p.Header["Bcc"]) != 0 || len(p.Header["Cc"]) != 0 || !strings.Contains(p.Header.Get("X-Note"), "Bcc:") {
		t.Fatalf("a line break in a value made a header: %v", p.Header)
	}
}

// A process killed while writing a message leaves its temporary file; the next start removes
// such files once they are a minute old, and leaves a newer one (another process may be
// writing it) and every message alone.
func TestFileTransportRemovesMessagesLeftHalfWritten(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	old, fresh, sent := filepath.Join(dir, ".tmp-123.eml"), filepath.Join(dir, ".tmp-456.eml"), filepath.Join(dir, "1-x.eml")
	for _, name := range []string{old, fresh, sent} {
		if err := os.WriteFile(name, []byte("Subject: half"), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	hour := time.Now().Add(-time.Hour)
	for _, name := range []string{old, sent} {
		if err := os.Chtimes(name, hour, hour); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := lmail.NewFileTransport(dir); err != nil {
		t.Fatal(err)
	}
	for name, kept := range map[string]bool{old: false, fresh: true, sent: true} {
		if _, err := os.Stat(name); (err == nil) != kept {
			t.Errorf("%s: kept = %v, want %v", filepath.Base(name), err == nil, kept)
		}
	}
}
