package api

import "github.com/lobby/lobby/app/store"

// mailJSON is an email of the outbox as the API shows it: what the console's Mail screen shows
// of it, and no more. Never its data, which holds the one-time link of an email not yet sent.
type mailJSON struct {
	ID       string `json:"id"`
	Template string `json:"template"`
	To       string `json:"to"`
	// Status is queued, sent, failed or cancelled (replaced by a newer email).
	Status    string  `json:"status"`
	Attempts  int     `json:"attempts"`
	LastError string  `json:"last_error"`
	CreatedAt string  `json:"created_at"`
	SentAt    *string `json:"sent_at"`
}

func toMailJSON(m store.OutboxMail) mailJSON {
	return mailJSON{ID: m.ID, Template: m.Template, To: m.To, Status: m.Status, Attempts: m.Attempts, LastError: m.LastError,
		CreatedAt: rfc3339(m.CreatedAt), SentAt: optTime(m.SentAt)}
}
