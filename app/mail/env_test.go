package mail_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/lobby/lobby/app/logbuf"
	lmail "github.com/lobby/lobby/app/mail"
	"github.com/lobby/lobby/app/metrics"
	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/app/store/storetest"
)

// env is a migrated libSQL file with one organization and a fake clock.
type env struct {
	db    *store.DB
	org   string
	role  string
	clock *storetest.Clock
	logs  *logbuf.Buffer
	m     *metrics.Metrics
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{db: storetest.Open(t), org: store.NewID(), role: store.NewID(), logs: &logbuf.Buffer{}, m: metrics.New(),
		clock: storetest.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))}
	e.exec(t, `INSERT INTO organizations (id, slug, name, invite_ttl_ms, created_at) VALUES (?, 'acme', 'Acme', 1000, 1)`, e.org)
	e.exec(t, `INSERT INTO roles (id, org_id, key, name, created_at) VALUES (?, ?, 'member', 'Member', 1)`, e.role, e.org)
	return e
}

func (e *env) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if _, err := e.db.W.ExecContext(context.Background(), q, args...); err != nil {
		t.Fatal(err)
	}
}

// invite inserts a pending invitation for to and queues its email; it returns both ids.
func (e *env) invite(t *testing.T, to string) (invID, outboxID string) {
	t.Helper()
	invID = store.NewID()
	e.exec(t, `INSERT INTO invitations (id, org_id, email, email_norm, role_id, token_hash, expires_at, created_at, updated_at)
 VALUES (?, ?, ?, ?, ?, ?, 9999999999999, 1, 1)`, invID, e.org, to, to, e.role, "h"+invID)
	data := invitationData()
	data["AcceptURL"] = "https://lobby.test/invite/inv_SECRET_" + to
	b, _ := json.Marshal(data)
	err := e.db.Tx(context.Background(), func(q store.Q) (err error) {
		outboxID, err = store.EnqueueMail(context.Background(), q, store.OutboxMail{OrgID: e.org, InvitationID: invID,
			Template: "invite", To: to, Data: b}, e.clock.Now().UnixMilli())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return invID, outboxID
}

func (e *env) sender(t *testing.T, tr lmail.Transport, o lmail.SenderOptions) *lmail.Sender {
	o.From, o.Now, o.Metrics = "Lobby <lobby@acme.test>", e.clock.Now, e.m
	o.Logger = slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if o.Backoff == nil {
		o.Backoff = func(n int) time.Duration { return time.Duration(n) * time.Minute }
	}
	return lmail.NewSender(e.db, newRenderer(t), tr, o)
}

func (e *env) delivery(t *testing.T, invID string) (status, reason string) {
	t.Helper()
	if err := e.db.R.QueryRow(`SELECT delivery_status, delivery_error FROM invitations WHERE id = ?`, invID).Scan(&status, &reason); err != nil {
		t.Fatal(err)
	}
	return status, reason
}

func (e *env) row(t *testing.T, id string) store.OutboxMail {
	t.Helper()
	m, err := e.db.GetMail(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func (e *env) count(result string) int {
	var d dto.Metric
	if err := e.m.Mail.WithLabelValues(result).Write(&d); err != nil {
		panic(err)
	}
	return int(d.GetCounter().GetValue())
}

func smtpTo(t *testing.T, addr string) *lmail.SMTPTransport {
	t.Helper()
	host, port := hostPort(t, addr)
	tr, err := lmail.NewSMTPTransport(lmail.SMTPConfig{Host: host, Port: port, TLS: "none", Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}
