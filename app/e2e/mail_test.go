package e2e

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// inbox is a real SMTP server (github.com/emersion/go-smtp) on 127.0.0.1 that keeps every
// message Lobby delivers to it.
type inbox struct {
	mu   sync.Mutex
	msgs []*message
	bad  []string // messages that did not parse, reported by waitMail
	host string
	port int
}

// message is one delivered email, decoded.
type message struct {
	From    string   // envelope sender
	To      []string // envelope recipients
	Header  mail.Header
	Subject string
	Text    string // the text/plain part
	HTML    string // the text/html part
}

// startInbox starts the SMTP server and stops it when the test ends.
func startInbox(t *testing.T) *inbox {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("cannot listen for the test SMTP server: %v", err)
	}
	in := &inbox{host: "127.0.0.1", port: ln.Addr().(*net.TCPAddr).Port}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{in: in}, nil }))
	srv.Domain = "mx.test"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = quietLog{}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = ln.Close(); _ = srv.Close() })
	return in
}

// messages returns what has arrived so far, and any message that did not parse.
func (in *inbox) messages() ([]*message, []string) {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]*message(nil), in.msgs...), append([]string(nil), in.bad...)
}

// waitMail waits up to 15 s for the next message to `to` that this test has not taken yet,
// and fails the test when none comes.
func (l *lobby) waitMail(t *testing.T, to string) *message {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		msgs, bad := l.Inbox.messages()
		if len(bad) > 0 {
			t.Fatalf("Lobby sent a message that does not parse as MIME: %s", bad[0])
		}
		for _, m := range msgs {
			if !l.taken[m] && containsFold(m.To, to) {
				l.taken[m] = true
				return m
			}
		}
		if time.Now().After(deadline) {
			var got []string
			for _, m := range msgs {
				got = append(got, strings.Join(m.To, ",")+": "+m.Subject)
			}
			t.Fatalf("no email to %s arrived within 15 s; the server got %d: %q", to, len(got), got)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

var hrefRE = regexp.MustCompile(`href="([^"]+)"`)

// link returns the first link in the HTML part that starts with prefix, failing the test when
// there is none.
func (m *message) link(t *testing.T, prefix string) string {
	t.Helper()
	for _, sub := range hrefRE.FindAllStringSubmatch(m.HTML, -1) {
		if u := htmlUnescape(sub[1]); strings.HasPrefix(u, prefix) {
			return u
		}
	}
	t.Fatalf("the email %q has no link starting with %s in its HTML part:\n%s", m.Subject, prefix, m.HTML)
	return ""
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&#43;", "+", "&#x2b;", "+", "&quot;", `"`, "&#39;", "'").Replace(s)
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// parseMessage decodes a raw RFC 5322 message with net/mail and mime/multipart, keeping the
// first text/plain and text/html parts.
func parseMessage(raw []byte) (*message, error) {
	mm, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(mm.Header.Get("Subject"))
	if err != nil {
		return nil, err
	}
	m := &message{Header: mm.Header, Subject: subject}
	return m, m.walk(mm.Header.Get("Content-Type"), mm.Header.Get("Content-Transfer-Encoding"), mm.Body)
}

func (m *message) walk(ctype, cte string, body io.Reader) error {
	mediaType, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return err
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := m.walk(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p); err != nil {
				return err
			}
		}
	}
	switch strings.ToLower(cte) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	switch {
	case mediaType == "text/plain" && m.Text == "":
		m.Text = string(b)
	case mediaType == "text/html" && m.HTML == "":
		m.HTML = string(b)
	}
	return nil
}

// smtpSession collects one connection's messages into the inbox.
type smtpSession struct {
	in   *inbox
	from string
	to   []string
}

func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }
func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := parseMessage(raw)
	s.in.mu.Lock()
	defer s.in.mu.Unlock()
	if err != nil {
		s.in.bad = append(s.in.bad, err.Error()+"\n"+string(raw))
		return err
	}
	m.From, m.To = s.from, s.to
	s.in.msgs = append(s.in.msgs, m)
	s.from, s.to = "", nil
	return nil
}

func (s *smtpSession) Reset()        { s.from, s.to = "", nil }
func (s *smtpSession) Logout() error { return nil }

type quietLog struct{}

func (quietLog) Printf(string, ...interface{}) {}
func (quietLog) Println(...interface{})        {}
