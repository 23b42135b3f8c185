package mail_test

import (
	"context"
	"fmt"
	"testing"

	lmail "github.com/lobby/lobby/app/mail"
)

// stopAfterFirst sends through a real transport and ends the sender's context after the first
// email: Lobby stopping in the middle of a batch.
type stopAfterFirst struct {
	lmail.Transport
	stop func()
}

func (s stopAfterFirst) Send(ctx context.Context, from, to string, msg lmail.Message, headers map[string]string) (string, error) {
	defer s.stop()
	return s.Transport.Send(ctx, from, to, msg, headers)
}

// A sender that stops part-way through a batch hands the emails it claimed and did not send
// back at once, so the next sender (after a restart, or another process) sends them now
// rather than when the claim would have ended, ten minutes later.
func TestAStoppingSenderHandsBackWhatItDidNotSend(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv := startServer(t, serverOpts{})
	for k := range 5 {
		e.invite(t, fmt.Sprintf("p%d@example.com", k))
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	first := e.sender(t, stopAfterFirst{smtpTo(t, srv.Addr), stop}, lmail.SenderOptions{Batch: 5})
	if sent, _, err := first.SendDue(ctx); sent != 1 || err == nil {
		t.Fatalf("the stopping sender sent %d: %v", sent, err)
	}
	var due int
	if err := e.db.R.QueryRow(`SELECT count(*) FROM outbox WHERE status = 'queued' AND next_attempt_at <= ?`,
		e.clock.Now().UnixMilli()).Scan(&due); err != nil {
		t.Fatal(err)
	}
	if due != 4 {
		t.Fatalf("%d of the 4 emails not sent are due again at once", due)
	}
	next := e.sender(t, smtpTo(t, srv.Addr), lmail.SenderOptions{Batch: 5})
	if sent, _, err := next.SendDue(context.Background()); sent != 4 || err != nil {
		t.Fatalf("the next sender sent %d: %v", sent, err)
	}
	if n := len(srv.Messages()); n != 5 {
		t.Fatalf("the server got %d emails, want 5", n)
	}
}
