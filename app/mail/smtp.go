package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTPConfig says how to reach the mail server.
type SMTPConfig struct {
	Host string
	// Port defaults to 587 for starttls, 465 for tls and 25 for none.
	Port               int
	Username, Password string
	// TLS is "starttls" (the default; the server must offer it), "tls" (implicit TLS from the
	// first byte) or "none" (plain text; then no password is sent).
	TLS string
	// Timeout bounds connecting and each command; 15 s when zero.
	Timeout  time.Duration
	HeloName string
	// TLSConfig replaces the default TLS settings, for a private CA or a test server.
	TLSConfig *tls.Config
}

// SMTPTransport sends each message over a new connection to one SMTP server.
type SMTPTransport struct {
	cfg SMTPConfig
	now func() time.Time
}

// ErrUnavailable marks an error reaching the mail server itself (connect, TLS, greeting,
// login), as opposed to an error about one message. The Sender then stops its batch early.
var ErrUnavailable = errors.New("the mail server is unavailable")

// PermanentError is a refusal that sending again will not change (an SMTP 5xx reply).
type PermanentError struct{ Err error }

// Error is the refusal's text.
func (e *PermanentError) Error() string { return e.Err.Error() }

// Unwrap gives the underlying error to errors.Is and errors.As.
func (e *PermanentError) Unwrap() error { return e.Err }

// NewSMTPTransport checks cfg and returns a transport; it does not connect yet.
func NewSMTPTransport(cfg SMTPConfig) (*SMTPTransport, error) {
	if cfg.Host == "" {
		return nil, errors.New("mail.smtp.host is not set")
	}
	if cfg.TLS == "" {
		cfg.TLS = "starttls"
	}
	defaultPort := map[string]int{"starttls": 587, "tls": 465, "none": 25}
	p, ok := defaultPort[cfg.TLS]
	if !ok {
		return nil, fmt.Errorf("mail.smtp.tls is %q; use starttls, tls or none", cfg.TLS)
	}
	if cfg.Port == 0 {
		cfg.Port = p
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		return nil, fmt.Errorf("mail.smtp.port %d is not a port number", cfg.Port)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 15 * time.Second
	}
	return &SMTPTransport{cfg: cfg, now: time.Now}, nil
}

func (t *SMTPTransport) client() (*gomail.Client, error) {
	c := t.cfg
	tc := &tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12}
	if c.TLSConfig != nil {
		tc = c.TLSConfig.Clone()
		if tc.ServerName == "" {
			tc.ServerName = c.Host
		}
	}
	opts := []gomail.Option{gomail.WithPort(c.Port), gomail.WithTimeout(c.Timeout), gomail.WithTLSConfig(tc)}
	switch c.TLS {
	case "tls":
		opts = append(opts, gomail.WithSSL(), gomail.WithTLSPolicy(gomail.NoTLS))
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if c.HeloName != "" {
		opts = append(opts, gomail.WithHELO(c.HeloName))
	}
	if c.Username != "" {
		opts = append(opts, gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthPlain, gomail.SMTPAuthLogin),
			gomail.WithUsername(c.Username), gomail.WithPassword(c.Password))
	}
	return gomail.NewClient(c.Host, opts...)
}

// Send connects, says hello, upgrades to TLS and logs in as configured, then sends one message.
// A failure before the message is handed over wraps ErrUnavailable; a 5xx refusal of the
// message is a *PermanentError.
func (t *SMTPTransport) Send(ctx context.Context, from, to string, msg Message, headers map[string]string) (string, error) {
	m, msgID, err := buildMsg(from, to, msg, headers, t.now())
	if err != nil {
		return "", &PermanentError{Err: err}
	}
	c, err := t.client()
	if err != nil {
		return "", fmt.Errorf("smtp settings: %w", err)
	}
	conn, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return "", fmt.Errorf("%w: %s:%d: %w", ErrUnavailable, t.cfg.Host, t.cfg.Port, err)
	}
	err = c.SendWithSMTPClient(conn, m)
	_ = c.CloseWithSMTPClient(conn)
	if err == nil || m.IsDelivered() {
		return msgID, nil
	}
	var se *gomail.SendError
	if errors.As(err, &se) && se.ErrorCode() >= 500 && se.ErrorCode() < 600 {
		return "", &PermanentError{Err: err}
	}
	return "", err
}
