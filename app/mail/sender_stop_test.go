package mail_test

import (
	"context"
	"fmt"
	"testing"
	"time"

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

// Only the claim that took an email hands it back: once another sender has claimed it again
// (the first one's lease ran out), a late release by the first leaves it claimed, so it is not
// sent twice.
func TestReleaseLeavesAnEmailClaimedAgainAlone(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, id := e.invite(t, "ann@example.com")
	now := e.clock.Now().UnixMilli()
	due := func(at int64) int {
		var n int
		if err := e.db.R.QueryRow(`SELECT count(*) FROM outbox WHERE status = 'queued' AND next_attempt_at <= ?`, at).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if got, err := e.db.ClaimDueMail(context.Background(), now, 5, time.Minute); err != nil || len(got) != 1 {
		t.Fatalf("first claim: %d %v", len(got), err)
	}
	later := now + 2*time.Minute.Milliseconds() // the first claim has ended
	if got, err := e.db.ClaimDueMail(context.Background(), later, 5, time.Minute); err != nil || len(got) != 1 {
		t.Fatalf("second claim: %d %v", len(got), err)
	}
	if err := e.db.ReleaseMail(context.Background(), []string{id}, now+time.Minute.Milliseconds(), later); err != nil {
		t.Fatal(err)
	}
	if n := due(later); n != 0 {
		t.Fatal("the first sender's late release handed back an email the second one holds")
	}
	if err := e.db.ReleaseMail(context.Background(), []string{id}, later+time.Minute.Milliseconds(), later); err != nil {
		t.Fatal(err)
	}
	if n := due(later); n != 1 {
		t.Fatal("the second sender's release did not hand the email back")
	}
}
