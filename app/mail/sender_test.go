package mail_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	lmail "github.com/lobby/lobby/app/mail"
	"github.com/lobby/lobby/app/store"
)

func TestInvitationReachesARealSMTPServer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv := startServer(t, serverOpts{})
	inv, id := e.invite(t, "bob@example.com")
	sent, failed, err := e.sender(t, smtpTo(t, srv.Addr), lmail.SenderOptions{}).SendDue(context.Background())
	if err != nil || sent != 1 || failed != 0 {
		t.Fatalf("SendDue = %d sent, %d failed, %v", sent, failed, err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 || msgs[0].From != "lobby@acme.test" || len(msgs[0].To) != 1 || msgs[0].To[0] != "bob@example.com" {
		t.Fatalf("server got %+v", msgs)
	}
	p := parseMail(t, msgs[0].Data)
	h := p.Header
	if p.Subject != "You're invited to join Acme" || !strings.Contains(h.Get("To"), "bob@example.com") ||
		h.Get("X-Lobby-Outbox-Id") != id || h.Get("X-Lobby-Invitation") != inv || h.Get("Auto-Submitted") != "auto-generated" ||
		h.Get("Message-Id") != "<"+id+"@acme.test>" {
		t.Fatalf("headers %v, subject %q", h, p.Subject)
	}
	link := "https://lobby.test/invite/inv_SECRET_bob@example.com"
	if !strings.Contains(p.Text, link) || !strings.Contains(p.HTML, `href="`+link+`"`) {
		t.Fatalf("the accept link is missing:\n%s\n%s", p.Text, p.HTML)
	}
	if st, _ := e.delivery(t, inv); st != "sent" {
		t.Fatalf("delivery status %q, want sent", st)
	}
	if r := e.row(t, id); r.Status != "sent" || r.MessageID != "<"+id+"@acme.test>" || r.Attempts != 1 {
		t.Fatalf("outbox row %+v", r)
	}
	if e.count("sent") != 1 {
		t.Fatalf("sent counter %d", e.count("sent"))
	}
	if strings.Contains(e.logs.String(), "SECRET") || !strings.Contains(e.logs.String(), id) {
		t.Fatalf("logs leak the link or lack the outbox id:\n%s", e.logs)
	}
}

// Not parallel: while its server is down no other test of this package may be given its port.
func TestMailWaitsWhileTheServerIsDownAndGoesOutOnce(t *testing.T) {
	e := newEnv(t)
	srv := startServer(t, serverOpts{})
	addr := srv.Addr
	srv.Stop()
	s := e.sender(t, smtpTo(t, addr), lmail.SenderOptions{})
	var invs, ids []string
	for k := range 3 {
		inv, id := e.invite(t, fmt.Sprintf("p%d@example.com", k))
		invs, ids = append(invs, inv), append(ids, id)
	}
	ctx := context.Background()
	if sent, failed, err := s.SendDue(ctx); err != nil || sent+failed != 0 {
		t.Fatalf("with the server down: %d sent, %d failed, %v", sent, failed, err)
	}
	next := e.clock.Now().Add(time.Minute).UnixMilli()
	for k, id := range ids {
		r := e.row(t, id)
		// An outage of the server spends no attempt of any email: they all wait, however long.
		if r.Status != "queued" || r.Attempts != 0 || r.NextAttemptAt != next {
			t.Fatalf("row %d after the outage: status %s, attempts %d, next %d (want %d)", k, r.Status, r.Attempts, r.NextAttemptAt, next)
		}
		if st, _ := e.delivery(t, invs[k]); st != "queued" {
			t.Fatalf("delivery status %q, want queued", st)
		}
	}
	if r := e.row(t, ids[0]); !strings.Contains(r.LastError, "unavailable") {
		t.Fatalf("last error %q", r.LastError)
	}
	if n, _, _ := s.Flush(ctx); n != 0 || e.count("retry") != 1 {
		t.Fatalf("Flush before the next attempt sent %d, retries %d", n, e.count("retry"))
	}

	srv = startServer(t, serverOpts{addr: addr})
	if sent, _, _ := s.SendDue(ctx); sent != 0 || len(srv.Messages()) != 0 {
		t.Fatal("sent before the next attempt was due")
	}
	e.clock.Add(61 * time.Second)
	if sent, failed, err := s.Flush(ctx); err != nil || sent != 3 || failed != 0 {
		t.Fatalf("after the server came back: %d sent, %d failed, %v", sent, failed, err)
	}
	e.clock.Add(time.Hour)
	if sent, _, _ := s.Flush(ctx); sent != 0 {
		t.Fatalf("sent %d more", sent)
	}
	got := map[string]int{}
	for _, m := range srv.Messages() {
		got[m.To[0]]++
	}
	if len(got) != 3 || got["p0@example.com"] != 1 || got["p1@example.com"] != 1 || got["p2@example.com"] != 1 {
		t.Fatalf("deliveries per recipient %v, want each exactly once", got)
	}
	for _, inv := range invs {
		if st, _ := e.delivery(t, inv); st != "sent" {
			t.Fatalf("delivery status %q, want sent", st)
		}
	}
}

func TestFlushDoesNotSpinWhenRetriesAreDueAtOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv := startServer(t, serverOpts{})
	srv.Stop()
	s := e.sender(t, smtpTo(t, srv.Addr), lmail.SenderOptions{Backoff: func(int) time.Duration { return 0 }})
	e.invite(t, "bob@example.com")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, _, err := s.Flush(ctx); err != nil {
		t.Fatalf("Flush: %v (it must return when a batch makes no progress)", err)
	}
}

func TestTemporaryRefusalsEndInFailedAfterMaxAttempts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv := startServer(t, serverOpts{rcptErr: &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}})
	s := e.sender(t, smtpTo(t, srv.Addr), lmail.SenderOptions{MaxAttempts: 3})
	inv, id := e.invite(t, "bob@example.com")
	ctx := context.Background()
	for attempt := 1; attempt <= 3; attempt++ {
		sent, failed, err := s.SendDue(ctx)
		if err != nil || sent != 0 || failed != min(1, attempt/3) {
			t.Fatalf("attempt %d: %d sent, %d failed, %v", attempt, sent, failed, err)
		}
		if st, _ := e.delivery(t, inv); (attempt < 3) != (st == "queued") {
			t.Fatalf("attempt %d: delivery status %q", attempt, st)
		}
		e.clock.Add(10 * time.Minute)
	}
	st, reason := e.delivery(t, inv)
	if st != "failed" || !strings.Contains(reason, "451") {
		t.Fatalf("invitation shows %q %q, want failed with the server's reason", st, reason)
	}
	if r := e.row(t, id); r.Status != "failed" || r.Attempts != 3 {
		t.Fatalf("row %+v", r)
	}
	if e.count("retry") != 2 || e.count("failed") != 1 {
		t.Fatalf("counters retry %d failed %d", e.count("retry"), e.count("failed"))
	}
	if sent, failed, _ := s.SendDue(ctx); sent+failed != 0 {
		t.Fatal("a failed email was tried again")
	}
	if err := e.db.RetryMail(ctx, id, e.clock.Now().UnixMilli()); err != nil {
		t.Fatal(err)
	}
	srv.RcptErr = nil
	if sent, _, _ := s.SendDue(ctx); sent != 1 {
		t.Fatal("the console's retry did not send the email")
	}
}

func TestPermanentRefusalFailsAtOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv := startServer(t, serverOpts{rcptErr: &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}})
	inv, _ := e.invite(t, "nobody@example.com")
	if _, failed, err := e.sender(t, smtpTo(t, srv.Addr), lmail.SenderOptions{}).SendDue(context.Background()); err != nil || failed != 1 {
		t.Fatalf("failed %d, %v", failed, err)
	}
	if st, reason := e.delivery(t, inv); st != "failed" || !strings.Contains(reason, "No such user") {
		t.Fatalf("invitation shows %q %q", st, reason)
	}
}

func TestUnknownTemplateFailsWithoutSending(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ft, err := lmail.NewFileTransport(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	err = e.db.Tx(context.Background(), func(q store.Q) error {
		_, err := store.EnqueueMail(context.Background(), q, store.OutboxMail{Template: "nope", To: "a@example.com", Data: []byte(`{}`)}, 0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, failed, err := e.sender(t, ft, lmail.SenderOptions{}).SendDue(context.Background()); err != nil || failed != 1 {
		t.Fatalf("failed %d, %v", failed, err)
	}
}

func TestTwoSendersSharingTheDatabaseSendEachEmailOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv := startServer(t, serverOpts{})
	for k := range 30 {
		e.invite(t, fmt.Sprintf("p%d@example.com", k))
	}
	other, err := store.Open(context.Background(), e.db.URL(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	a := e.sender(t, smtpTo(t, srv.Addr), lmail.SenderOptions{Batch: 4})
	b := lmail.NewSender(other, newRenderer(t), smtpTo(t, srv.Addr), lmail.SenderOptions{Batch: 4, Now: e.clock.Now})
	var wg sync.WaitGroup
	for _, s := range []*lmail.Sender{a, b} {
		wg.Go(func() {
			if _, _, err := s.Flush(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got := map[string]int{}
	for _, m := range srv.Messages() {
		got[m.To[0]]++
	}
	for to, n := range got {
		if n != 1 {
			t.Errorf("%s got %d copies", to, n)
		}
	}
	if len(got) != 30 {
		t.Fatalf("%d recipients reached, want 30", len(got))
	}
}

func TestRunWakesOnKick(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv := startServer(t, serverOpts{})
	s := e.sender(t, smtpTo(t, srv.Addr), lmail.SenderOptions{Poll: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.Run(ctx) }()
	time.Sleep(100 * time.Millisecond) // the first look at the outbox finds nothing
	e.invite(t, "bob@example.com")
	s.Kick()
	deadline := time.Now().Add(5 * time.Second)
	for len(srv.Messages()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	if len(srv.Messages()) != 1 {
		t.Fatalf("Run did not send after Kick (got %d)", len(srv.Messages()))
	}
}
