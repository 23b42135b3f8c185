package api

import (
	"strconv"

	"github.com/lobby/lobby/app/org"
)

// importJSON is an import as the API shows it.
type importJSON struct {
	ID             string         `json:"id"`
	Filename       string         `json:"filename"`
	Status         string         `json:"status"`
	Notify         bool           `json:"notify"`
	CreatedBy      *person        `json:"created_by"`
	CreatedAt      string         `json:"created_at"`
	CommittedAt    *string        `json:"committed_at"`
	Rows           int            `json:"rows"`
	Counts         map[string]int `json:"counts"`
	ToInvite       int            `json:"to_invite"`
	Progress       progressJSON   `json:"progress"`
	Sent           int            `json:"sent"`
	ResendExisting bool           `json:"resend_existing"`
	CreateTeams    bool           `json:"create_teams"`
	TeamsToCreate  []string       `json:"teams_to_create"`
	TeamsCreated   []string       `json:"teams_created"`
	IgnoredColumns []string       `json:"ignored_columns"`
	Encoding       string         `json:"encoding"`
	Separator      string         `json:"separator"`
}

type progressJSON struct {
	Done  int `json:"done"`
	Total int `json:"total"`
}

// importRowJSON is one row of an import's report.
type importRowJSON struct {
	Line         int      `json:"line"`
	Email        string   `json:"email"`
	Name         string   `json:"name"`
	Role         string   `json:"role"`
	Teams        []string `json:"teams"`
	Outcome      string   `json:"outcome"`
	Result       string   `json:"result"`
	Message      string   `json:"message"`
	InvitationID string   `json:"invitation_id,omitempty"`
}

// previewJSON answers an upload: the import and the first rows of its report.
type previewJSON struct {
	importJSON
	FirstRows []importRowJSON `json:"first_rows"`
}

func orEmpty(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

func toImportJSON(im org.Import) importJSON {
	s := im.Summary
	out := importJSON{ID: im.ID, Filename: im.Filename, Status: im.Status, Notify: im.Notify, CreatedAt: rfc3339(im.CreatedAt),
		CommittedAt: optTime(im.CommittedAt), Rows: s.Rows, Counts: map[string]int{}, ToInvite: s.ToInvite(),
		Progress: progressJSON{Done: s.Done, Total: s.Total}, Sent: s.Sent, ResendExisting: s.ResendExisting,
		CreateTeams: s.CreateTeams, TeamsToCreate: orEmpty(s.TeamsToCreate), TeamsCreated: orEmpty(s.TeamsCreated),
		IgnoredColumns: orEmpty(s.Ignored), Encoding: s.Encoding, Separator: s.Separator}
	for k, v := range s.Outcomes {
		if v != 0 {
			out.Counts[k] = v
		}
	}
	if im.CreatorName != "" || im.CreatorEmail != "" {
		out.CreatedBy = &person{Name: im.CreatorName, Email: im.CreatorEmail}
	}
	return out
}

func toImportRowJSON(r org.ImportRow) importRowJSON {
	return importRowJSON{Line: r.Line, Email: r.Email, Name: r.Name, Role: r.Role, Teams: orEmpty(r.Teams), Outcome: r.Outcome,
		Result: org.OutcomeLabel(r.Outcome), Message: r.Message, InvitationID: r.InvitationID}
}

func rowCursor(r importRowJSON) string { return strconv.Itoa(r.Line) }
