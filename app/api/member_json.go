package api

import "github.com/lobby/lobby/app/org"

// memberJSON is a member as the API shows it.
type memberJSON struct {
	ID         string   `json:"id"`
	UserID     string   `json:"user_id"`
	Email      string   `json:"email"`
	Name       string   `json:"name"`
	Role       string   `json:"role"`
	Teams      []string `json:"teams"`
	Status     string   `json:"status"`
	Source     string   `json:"source"`
	ExternalID string   `json:"external_id,omitempty"`
	JoinedAt   string   `json:"joined_at"`
	UpdatedAt  string   `json:"updated_at"`
}

func toMemberJSON(v org.MemberView) memberJSON {
	m := v.Membership
	return memberJSON{ID: m.ID, UserID: m.UserID, Email: m.Email, Name: m.Name, Role: m.RoleKey, Teams: v.Teams,
		Status: m.Status, Source: m.Source, ExternalID: m.ExternalID, JoinedAt: rfc3339(m.JoinedAt), UpdatedAt: rfc3339(m.UpdatedAt)}
}
