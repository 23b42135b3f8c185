package mail_test

import (
	"context"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"

	lmail "github.com/lobby/lobby/app/mail"
	"github.com/lobby/lobby/auth/token"
)

// TestSentEmailLeavesNoLinkTokenBehind: the outbox holds a link's token only until the email
// is delivered; then the row keeps the link without it, while the person got the whole link.
func TestSentEmailLeavesNoLinkTokenBehind(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv := startServer(t, serverOpts{})
	plain, _ := token.New(token.Invite)
	link := "https://lobby.test/invite/" + plain
	_, id := e.invite(t, "bob@example.com")
	e.exec(t, `UPDATE outbox SET data = json_set(data, '$.AcceptURL', ?) WHERE id = ?`, link, id)
	if !strings.Contains(string(e.row(t, id).Data), plain) {
		t.Fatal("the queued email lacks its link: it could not be sent")
	}
	if sent, _, err := e.sender(t, smtpTo(t, srv.Addr), lmail.SenderOptions{}).SendDue(context.Background()); err != nil || sent != 1 {
		t.Fatalf("sent %d: %v", sent, err)
	}
	if msgs := srv.Messages(); len(msgs) != 1 || !strings.Contains(parseMail(t, msgs[0].Data).Text, link) {
		t.Fatalf("the email did not carry the whole link")
	}
	r := e.row(t, id)
	if r.Status != "sent" || strings.Contains(string(r.Data), plain) || !strings.Contains(string(r.Data), "https://lobby.test/invite/lbi_…") {
		t.Fatalf("after delivery the row holds %s", r.Data)
	}
}

// TestFailedEmailLeavesNoLinkTokenBehind: an email given up on keeps its link without the
// token too; sending it again from the console makes a new link (see org's RetryMail).
func TestFailedEmailLeavesNoLinkTokenBehind(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv := startServer(t, serverOpts{rcptErr: &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}})
	plain, _ := token.New(token.Invite)
	_, id := e.invite(t, "nobody@example.com")
	e.exec(t, `UPDATE outbox SET data = json_set(data, '$.AcceptURL', ?) WHERE id = ?`, "https://lobby.test/invite/"+plain, id)
	if _, failed, err := e.sender(t, smtpTo(t, srv.Addr), lmail.SenderOptions{}).SendDue(context.Background()); err != nil || failed != 1 {
		t.Fatalf("failed %d, %v", failed, err)
	}
	if r := e.row(t, id); r.Status != "failed" || strings.Contains(string(r.Data), plain) || !token.Redacted(string(r.Data)) {
		t.Fatalf("after failing the row holds %s (%s)", r.Data, r.Status)
	}
}
