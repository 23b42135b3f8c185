package api

import "github.com/lobby/lobby/app/org"

// invitationJSON is an invitation as the API shows it.
type invitationJSON struct {
	ID             string   `json:"id"`
	Email          string   `json:"email"`
	Name           string   `json:"name"`
	Role           string   `json:"role"`
	Teams          []string `json:"teams"`
	Status         string   `json:"status"`
	Message        string   `json:"message"`
	InvitedBy      *person  `json:"invited_by"`
	ImportID       string   `json:"import_id,omitempty"`
	ExpiresAt      string   `json:"expires_at"`
	CreatedAt      string   `json:"created_at"`
	SentAt         *string  `json:"sent_at"`
	SendCount      int      `json:"send_count"`
	DeliveryStatus string   `json:"delivery_status"`
	DeliveryError  string   `json:"delivery_error,omitempty"`
	OpenedAt       *string  `json:"opened_at"`
	AcceptedAt     *string  `json:"accepted_at"`
	RevokedAt      *string  `json:"revoked_at"`
	AcceptURL      string   `json:"accept_url,omitempty"`
	Existing       bool     `json:"existing,omitempty"`
}

type person struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

func toInvitationJSON(v org.InvitationView) invitationJSON {
	i := v.Invitation
	out := invitationJSON{ID: i.ID, Email: i.Email, Name: i.Name, Role: i.RoleKey, Teams: v.Teams, Status: i.Status,
		Message: i.Message, ImportID: i.ImportID, ExpiresAt: rfc3339(i.ExpiresAt), CreatedAt: rfc3339(i.CreatedAt),
		SentAt: optTime(i.SentAt), SendCount: i.SendCount, DeliveryStatus: i.DeliveryStatus, DeliveryError: i.DeliveryError,
		OpenedAt: optTime(i.OpenedAt), AcceptedAt: optTime(i.AcceptedAt), RevokedAt: optTime(i.RevokedAt)}
	if out.Teams == nil {
		out.Teams = []string{}
	}
	if i.InviterEmail != "" {
		out.InvitedBy = &person{Name: i.InviterName, Email: i.InviterEmail}
	}
	return out
}
