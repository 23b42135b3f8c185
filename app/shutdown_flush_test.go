package app_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lobby/lobby/app"
	"github.com/lobby/lobby/app/config"
	"github.com/lobby/lobby/app/mail"
	"github.com/lobby/lobby/app/org"
)

// hungFirstSend is a mail server that hangs on the first email it is given until Lobby gives
// up on it (its context ends), and takes every later email at once, as .eml files.
type hungFirstSend struct {
	files   *mail.FileTransport
	once    sync.Once
	entered chan struct{} // closed when the first email reached the server
}

func (h *hungFirstSend) Send(ctx context.Context, from, to string, msg mail.Message, headers map[string]string) (string, error) {
	first := false
	h.once.Do(func() { first = true })
	if first {
		close(h.entered)
		<-ctx.Done()
		return "", ctx.Err()
	}
	return h.files.Send(ctx, from, to, msg, headers)
}

// An email queued while the sender is busy with another one (so it cannot have been picked up
// yet) still goes out when Lobby is stopped: Serve sends the due mail one last time before it
// returns, instead of leaving it for the next start.
func TestStoppingLobbySendsTheMailQueuedMeanwhile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := config.Default()
	cfg.Database.URL = "file:" + filepath.Join(dir, "lobby.db")
	cfg.Mail.Dir = filepath.Join(dir, "mail")
	cfg.Jobs.Enabled = false
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Server.BaseURL = "http://" + ln.Addr().String()
	files, err := mail.NewFileTransport(cfg.Mail.Dir)
	if err != nil {
		t.Fatal(err)
	}
	transport := &hungFirstSend{files: files, entered: make(chan struct{})}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	a, err := app.New(ctx, cfg, os.DirFS("../public"), app.Options{Transport: transport,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, ln) }()

	o, err := a.Org.CreateOrg(ctx, org.SystemActor("cli", "t", ""), "acme", "Acme")
	if err != nil {
		t.Fatal(err)
	}
	admin := org.SystemActor("cli", "t", o.ID)
	invite := func(email string) {
		t.Helper()
		res, err := a.Org.Invite(ctx, admin, org.InviteRequest{Emails: []string{email}, Notify: true})
		if err != nil || len(res.Created) != 1 {
			t.Fatalf("invite %s: %+v %v", email, res, err)
		}
	}
	// The first invitation's email keeps the sender busy: the mail server hangs on it.
	invite("first@acme.test")
	select {
	case <-transport.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the sender never started on the first email")
	}
	// The second is queued while the sender waits on the first, then Lobby is told to stop.
	invite("second@acme.test")
	stop()
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Serve did not return within 30 s of being stopped")
	}

	var status string
	if err := a.DB.R.QueryRow(`SELECT status FROM outbox WHERE to_addr = 'second@acme.test'`).Scan(&status); err != nil {
		t.Fatal(err)
	}
	eml, _ := filepath.Glob(filepath.Join(cfg.Mail.Dir, "*.eml"))
	var delivered []string
	for _, name := range eml {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "second@acme.test") {
			delivered = append(delivered, name)
		}
	}
	if status != "sent" || len(delivered) != 1 {
		t.Fatalf("after stopping, the email queued meanwhile is %q with %d .eml files for it (of %d in the folder); "+
			"want it sent, in one file", status, len(delivered), len(eml))
	}
	// The email the server hung on is not lost: it waits in the outbox for its next try.
	if err := a.DB.R.QueryRow(`SELECT status FROM outbox WHERE to_addr = 'first@acme.test'`).Scan(&status); err != nil {
		t.Fatal(err)
	}
	if status != "queued" {
		t.Fatalf("the email the server hung on is %q after stopping, want still queued", status)
	}
}
