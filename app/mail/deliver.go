package mail

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"regexp"
	"strings"

	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/token"
)

// deliver makes one attempt at one claimed row and records the outcome: "sent", "retry",
// "unavailable" (a retry because the server could not be reached) or "failed". The error is
// only for a failure to record it.
func (s *Sender) deliver(ctx context.Context, row store.OutboxMail) (string, error) {
	log := s.o.Logger.With("outbox_id", row.ID, "template", row.Template, "attempt", row.Attempts+1)
	// The outcome is recorded even while shutting down: a sent email not marked sent would be
	// sent twice.
	rec := context.WithoutCancel(ctx)
	data := map[string]any{}
	if err := json.Unmarshal(row.Data, &data); err != nil {
		return s.fail(rec, log, row, "the email data is not a JSON object")
	}
	msg, err := s.r.Render(row.Template, data)
	if err != nil {
		return s.fail(rec, log, row, "cannot render the email: "+redact(err))
	}
	headers := map[string]string{
		HeaderOutboxID:             row.ID,
		"Message-ID":               row.ID + "@" + domainOf(s.o.From),
		"Auto-Submitted":           "auto-generated",
		"X-Auto-Response-Suppress": "All",
	}
	if row.InvitationID != "" {
		headers["X-Lobby-Invitation"] = row.InvitationID
	}
	msgID, err := s.t.Send(ctx, s.o.From, row.To, msg, headers)
	now := s.o.Now().UnixMilli()
	if err == nil {
		// Once sent, the links' tokens leave the database: only their hashes stay (SECURITY.md).
		kept := []byte(token.Redact(string(row.Data)))
		if err := s.db.MarkMailSent(rec, row.ID, msgID, kept, now); err != nil && !errors.Is(err, store.ErrNotFound) {
			return "", err // the row may have been deleted meanwhile; the email went out all the same
		}
		s.count("sent")
		log.Info("Email sent.", "message_id", msgID)
		return "sent", nil
	}
	reason := redact(err)
	if errors.Is(err, ErrUnavailable) {
		// The server itself is down: that says nothing about this email, so it keeps all its
		// attempts and waits, however long the outage lasts.
		next := s.o.Now().Add(s.o.Backoff(1))
		if err := s.db.PostponeMail(rec, []string{row.ID}, reason, next.UnixMilli()); err != nil {
			return "", err
		}
		s.count("retry")
		log.Warn("The mail server is unavailable; the email stays queued.", "err", reason, "next_attempt_at", next.UTC())
		return "unavailable", nil
	}
	var perm *PermanentError
	if errors.As(err, &perm) || row.Attempts+1 >= s.o.MaxAttempts {
		return s.fail(rec, log, row, reason)
	}
	attempt := row.Attempts + 1
	next := s.o.Now().Add(s.o.Backoff(attempt))
	if err := s.db.MarkMailRetry(rec, row.ID, reason, next.UnixMilli()); err != nil {
		return "", err
	}
	s.count("retry")
	log.Warn("Could not send an email; it stays queued and will be tried again.", "err", reason, "next_attempt_at", next.UTC())
	return "retry", nil
}

// fail gives up on a row: no more tries, the reason shown on the row and its invitation.
func (s *Sender) fail(ctx context.Context, log *slog.Logger, row store.OutboxMail, reason string) (string, error) {
	// Given up on, the email's links lose their tokens too; sending it again from the console
	// makes a new link (org.Service.RetryMail).
	kept := []byte(token.Redact(string(row.Data)))
	if err := s.db.MarkMailFailed(ctx, row.ID, reason, kept, s.o.Now().UnixMilli()); err != nil {
		return "", err
	}
	s.count("failed")
	log.Error("Gave up on an email.", "err", reason)
	return "failed", nil
}

func (s *Sender) count(result string) {
	if s.o.Metrics != nil {
		s.o.Metrics.Mail.WithLabelValues(result).Inc()
	}
}

var linkPattern = regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]*://[^\s"'<>]+`)

// redact turns an error into text fit for a log line, the outbox row and the console: links
// (which may carry tokens) are removed, line breaks folded, the length capped.
func redact(err error) string {
	s := oneLine(linkPattern.ReplaceAllString(err.Error(), "[link]"))
	if len(s) > 500 {
		s = strings.ToValidUTF8(s[:500], "") + "…"
	}
	return s
}
