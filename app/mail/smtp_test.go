package mail_test

import (
	"context"
	"crypto/tls"
	"errors"
	"strings"
	"testing"
	"time"

	lmail "github.com/lobby/lobby/app/mail"
)

func TestSMTPStartTLSWithLogin(t *testing.T) {
	t.Parallel()
	serverTLS, pool := selfSigned(t)
	srv := startServer(t, serverOpts{tls: serverTLS, user: "lobby", pass: "s3cret"})
	host, port := hostPort(t, srv.Addr)
	msg := lmail.Message{Subject: "Hi", Text: "hello", HTML: "<p>hello</p>"}
	ctx := context.Background()
	send := func(cfg lmail.SMTPConfig) error {
		tr, err := lmail.NewSMTPTransport(cfg)
		if err != nil {
			t.Fatal(err)
		}
		_, err = tr.Send(ctx, "lobby@acme.test", "bob@example.com", msg, nil)
		return err
	}
	good := lmail.SMTPConfig{Host: host, Port: port, TLS: "starttls", Username: "lobby", Password: "s3cret",
		Timeout: 2 * time.Second, TLSConfig: &tls.Config{RootCAs: pool}}
	if err := send(good); err != nil {
		t.Fatal(err)
	}
	if m := srv.Messages(); len(m) != 1 || !m[0].TLS || m[0].User != "lobby" {
		t.Fatalf("server got %+v, want one message over TLS after login", m)
	}
	untrusted := good
	untrusted.TLSConfig = nil
	if err := send(untrusted); !errors.Is(err, lmail.ErrUnavailable) || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("an untrusted certificate gave %v", err)
	}
	wrong := good
	wrong.Password = "nope"
	if err := send(wrong); !errors.Is(err, lmail.ErrUnavailable) {
		t.Fatalf("a wrong password gave %v", err)
	}
	plain := startServer(t, serverOpts{})
	host, port = hostPort(t, plain.Addr)
	if err := send(lmail.SMTPConfig{Host: host, Port: port, Timeout: 2 * time.Second}); err == nil || len(plain.Messages()) != 0 {
		t.Fatal("starttls (the default) fell back to plain text with a server that does not offer it")
	}
	if len(srv.Messages()) != 1 {
		t.Fatal("a failed login still delivered")
	}
}

func TestSMTPImplicitTLS(t *testing.T) {
	t.Parallel()
	serverTLS, pool := selfSigned(t)
	srv := startServer(t, serverOpts{tls: serverTLS, implicit: true})
	host, port := hostPort(t, srv.Addr)
	tr, err := lmail.NewSMTPTransport(lmail.SMTPConfig{Host: host, Port: port, TLS: "tls", Timeout: 2 * time.Second,
		TLSConfig: &tls.Config{RootCAs: pool}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Send(context.Background(), "lobby@acme.test", "bob@example.com", lmail.Message{Subject: "Hi", Text: "x", HTML: "<p>x</p>"}, nil); err != nil {
		t.Fatal(err)
	}
	if m := srv.Messages(); len(m) != 1 || !m[0].TLS {
		t.Fatalf("server got %+v", m)
	}
}

func TestNewSMTPTransportChecksItsSettings(t *testing.T) {
	t.Parallel()
	for _, c := range []lmail.SMTPConfig{{}, {Host: "mx", TLS: "ssl"}, {Host: "mx", Port: 70000}} {
		if _, err := lmail.NewSMTPTransport(c); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}
