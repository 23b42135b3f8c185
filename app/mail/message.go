package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/mail"
	"net/textproto"
	"sort"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Transport delivers one rendered message to one address and returns its Message-ID.
type Transport interface {
	Send(ctx context.Context, from, to string, msg Message, headers map[string]string) (messageID string, err error)
}

// HeaderOutboxID names the outbox row a message was sent for; the file transport also uses it
// in the file name.
const HeaderOutboxID = "X-Lobby-Outbox-ID"

// reservedHeaders may not come in through the headers argument: the addresses, subject and MIME
// structure are set from the arguments alone, so a header can never add a recipient.
var reservedHeaders = map[string]bool{
	"From": true, "To": true, "Cc": true, "Bcc": true, "Sender": true, "Subject": true, "Date": true,
	"Mime-Version": true, "Content-Type": true, "Content-Transfer-Encoding": true, "Return-Path": true,
}

// buildMsg makes the MIME message both transports send, so a file and an SMTP delivery of the
// same email are the same bytes: From, To, Subject, Date, Message-ID (the headers' Message-ID
// when given, else a random one at the From domain), the extra headers, and a
// multipart/alternative body of text and HTML.
func buildMsg(from, to string, msg Message, headers map[string]string, now time.Time) (*gomail.Msg, string, error) {
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := m.From(from); err != nil {
		return nil, "", fmt.Errorf("sender address %q: %w", from, err)
	}
	addr, err := mail.ParseAddress(to)
	if err != nil || addr.Name != "" || addr.Address != to {
		return nil, "", fmt.Errorf("recipient %q is not a bare address", to)
	}
	if err := m.To(to); err != nil {
		return nil, "", fmt.Errorf("recipient %q: %w", to, err)
	}
	m.Subject(oneLine(msg.Subject))
	m.SetDateWithValue(now)
	m.SetUserAgent("Lobby")
	keys := make([]string, 0, len(headers))
	for k := range headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	msgID := ""
	for _, k := range keys {
		name, value := textproto.CanonicalMIMEHeaderKey(strings.TrimSpace(k)), oneLine(headers[k])
		switch {
		case !validHeaderName(name) || reservedHeaders[name] || strings.HasPrefix(name, "Content-"):
			return nil, "", fmt.Errorf("header %q cannot be set on an email", k)
		case name == "Message-Id":
			msgID = strings.Trim(value, "<>")
		case name == "Reply-To":
			if err := m.ReplyTo(value); err != nil {
				return nil, "", fmt.Errorf("reply-to %q: %w", value, err)
			}
		default:
			m.SetGenHeader(gomail.Header(strings.TrimSpace(k)), value)
		}
	}
	if msgID == "" {
		msgID = randomID() + "@" + domainOf(from)
	}
	m.SetMessageIDWithValue(msgID)
	m.SetBodyString(gomail.TypeTextPlain, msg.Text)
	if msg.HTML != "" {
		m.AddAlternativeString(gomail.TypeTextHTML, msg.HTML)
	}
	return m, "<" + msgID + ">", nil
}

// render writes the message as RFC 5322 bytes into a buffer from buffers; the caller puts it
// back when done with the bytes.
func render(m *gomail.Msg) (*bytes.Buffer, error) {
	b := buffers.Get().(*bytes.Buffer)
	b.Reset()
	if _, err := m.WriteTo(b); err != nil {
		buffers.Put(b)
		return nil, err
	}
	return b, nil
}

// buffers keeps the buffers emails are rendered into: a message grows one from nothing through
// every size up to its own (about 12 KiB), several allocations per email.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// oneLine folds any line breaks and control characters of a header value into spaces.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }), " ")
}

func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r >= 0x7f || r == ':' {
			return false
		}
	}
	return true
}

// domainOf is the domain of a From value such as "Lobby <lobby@example.com>".
func domainOf(from string) string {
	if a, err := mail.ParseAddress(from); err == nil {
		if i := strings.LastIndexByte(a.Address, '@'); i >= 0 && i < len(a.Address)-1 {
			return a.Address[i+1:]
		}
	}
	return "lobby.invalid"
}

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
