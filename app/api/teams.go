package api

import (
	"github.com/lobby/lobby/app/store"
)

// teamJSON is a team as the API shows it.
type teamJSON struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Source      string `json:"source"`
	MemberCount int    `json:"member_count"`
	CreatedAt   string `json:"created_at"`
}

func toTeamJSON(t store.Team) teamJSON {
	return teamJSON{ID: t.ID, Name: t.Name, Source: t.Source, MemberCount: t.MemberCount, CreatedAt: rfc3339(t.CreatedAt)}
}
