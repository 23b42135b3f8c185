// Package mail turns outbox rows into delivered email: a Renderer parses the templates of
// public/templates/mail once at start, a Transport delivers one message (to .eml files, or to an
// SMTP server through github.com/wneessen/go-mail), and a Sender works through the outbox with
// retries and backoff, recording each outcome on the row and on its invitation.
//
// Emails are queued by app/org with store.EnqueueMail inside the transaction of the change that
// causes them, so nothing is sent for a change that did not commit and nothing is lost when the
// mail server is away: rows wait in the outbox. This package never decides who gets an email; it
// sends each row to the address stored on it and to no other. Template data holds link tokens:
// it is never logged.
package mail
