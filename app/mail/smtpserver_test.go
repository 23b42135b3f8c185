package mail_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// received is one message as the test SMTP server got it.
type received struct {
	From string
	To   []string
	Data []byte
	TLS  bool
	User string
}

// testServer is a real SMTP server (github.com/emersion/go-smtp) on 127.0.0.1.
type testServer struct {
	mu   sync.Mutex
	msgs []received
	srv  *smtp.Server
	ln   net.Listener
	Addr string
	// RcptErr, when set, is the reply to every RCPT TO.
	RcptErr error
	// User and Pass, when set, are required through AUTH PLAIN.
	User, Pass string
}

func (s *testServer) Messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

type serverOpts struct {
	addr       string // "" for a free port
	tls        *tls.Config
	implicit   bool // TLS from the first byte instead of STARTTLS
	user, pass string
	rcptErr    error
}

// startServer starts a server and stops it when the test ends.
func startServer(t *testing.T, o serverOpts) *testServer {
	t.Helper()
	if o.addr == "" {
		o.addr = "127.0.0.1:0"
	}
	var ln net.Listener
	var err error
	for try := 0; try < 50; try++ { // a port just closed may take a moment to free
		if ln, err = net.Listen("tcp", o.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{ln: ln, Addr: ln.Addr().String(), RcptErr: o.rcptErr, User: o.user, Pass: o.pass}
	ts.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		_, isTLS := c.TLSConnectionState()
		return &session{s: ts, c: c, isTLS: isTLS}, nil
	}))
	ts.srv.Domain = "mx.test"
	ts.srv.TLSConfig = o.tls
	ts.srv.ErrorLog = discardLogger{}
	ts.srv.ReadTimeout, ts.srv.WriteTimeout = 5*time.Second, 5*time.Second
	if o.implicit {
		ln = tls.NewListener(ln, o.tls)
	}
	go func() { _ = ts.srv.Serve(ln) }()
	t.Cleanup(ts.Stop)
	return ts
}

// Stop closes the listener and every connection. The listener is closed here too, because
// Serve may not have registered it with the server yet.
func (s *testServer) Stop() {
	_ = s.ln.Close()
	_ = s.srv.Close()
}

type discardLogger struct{}

func (discardLogger) Printf(string, ...interface{}) {}
func (discardLogger) Println(...interface{})        {}

type session struct {
	s     *testServer
	c     *smtp.Conn
	isTLS bool
	cur   received
}

func (x *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (x *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != x.s.User || pass != x.s.Pass {
			return errors.New("invalid username or password")
		}
		x.cur.User = user
		return nil
	}), nil
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	if x.s.User != "" && x.cur.User == "" {
		return smtp.ErrAuthRequired
	}
	x.cur.From = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if x.s.RcptErr != nil {
		return x.s.RcptErr
	}
	x.cur.To = append(x.cur.To, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, x.cur.TLS = x.c.TLSConnectionState()
	x.cur.Data = b
	x.s.mu.Lock()
	x.s.msgs = append(x.s.msgs, x.cur)
	x.s.mu.Unlock()
	x.cur = received{User: x.cur.User}
	return nil
}

func (x *session) Reset()        { x.cur = received{User: x.cur.User} }
func (x *session) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mx.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"mx.test"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}

// hostPort splits a listener address for SMTPConfig.
func hostPort(t *testing.T, addr string) (string, int) {
	t.Helper()
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := net.LookupPort("tcp", p)
	return h, port
}
