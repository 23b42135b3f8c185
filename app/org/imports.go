package org

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/lobby/lobby/app/csvin"
	"github.com/lobby/lobby/app/store"
)

// Statuses of an import.
const (
	ImportStatusReading    = "reading"    // the file is being read; a crash here leaves it so
	ImportStatusPreview    = "preview"    // read and classified; nothing created yet
	ImportStatusCommitting = "committing" // invitations are being created; commit again to resume
	ImportStatusCommitted  = "committed"  // every row was handled
	ImportStatusCancelled  = "cancelled"  // the admin dropped the preview
)

// Outcomes of an import row. The first two are plans of a preview; Invited and Resent are what
// a commit did; the others say why a row is not invited. Most equal the Code of the same refusal.
const (
	OutcomeInvite          = "invite"
	OutcomeResend          = "resend"
	OutcomeInvited         = "invited"
	OutcomeResent          = "resent"
	OutcomeAlreadyInvited  = CodeAlreadyInvited
	OutcomeAlreadyMember   = CodeAlreadyMember
	OutcomeDeactivated     = CodeDeactivated
	OutcomeDuplicate       = CodeDuplicate
	OutcomeInvalidEmail    = CodeInvalidEmail
	OutcomeInvalidRow      = "invalid_row"
	OutcomeUnknownRole     = CodeUnknownRole
	OutcomeRoleNotAllowed  = "role_not_allowed"
	OutcomeUnknownTeam     = CodeUnknownTeam
	OutcomeUnknownResource = CodeUnknownResource
	OutcomeTeamRequired    = CodeTeamRequired
	OutcomeSeatLimit       = CodeSeatLimit
)

// ImportOutcomes lists every outcome in the order summaries show them.
var ImportOutcomes = []string{OutcomeInvite, OutcomeResend, OutcomeInvited, OutcomeResent, OutcomeAlreadyInvited,
	OutcomeAlreadyMember, OutcomeDeactivated, OutcomeDuplicate, OutcomeInvalidEmail, OutcomeInvalidRow,
	OutcomeUnknownRole, OutcomeRoleNotAllowed, OutcomeUnknownTeam, OutcomeUnknownResource, OutcomeTeamRequired, OutcomeSeatLimit}

var outcomeLabels = map[string]string{
	OutcomeInvite: "will invite", OutcomeResend: "will resend", OutcomeInvited: "invited", OutcomeResent: "resent",
	OutcomeAlreadyInvited: "already invited", OutcomeAlreadyMember: "already a member",
	OutcomeDeactivated: "deactivated member", OutcomeDuplicate: "duplicate in this file",
	OutcomeInvalidEmail: "invalid email", OutcomeInvalidRow: "row problem", OutcomeUnknownRole: "unknown role",
	OutcomeRoleNotAllowed: "role not allowed", OutcomeUnknownTeam: "unknown team", OutcomeUnknownResource: "unknown resource", OutcomeTeamRequired: "no team",
	OutcomeSeatLimit: "over the seat limit",
}

// OutcomeLabel is how people read an outcome: "will invite", "duplicate in this file", …
func OutcomeLabel(outcome string) string {
	if l, ok := outcomeLabels[outcome]; ok {
		return l
	}
	return outcome
}

// Error codes of a file that cannot be imported, besides csvin's FormatError codes, which
// PreviewImport passes on as they are (csvin.CodeEmpty, csvin.CodeNotText, …).
const (
	CodeFileTooLarge = "file_too_large"
	CodeTooManyRows  = "too_many_rows"
)

// ImportSummary is what an import knows besides its rows: counts, options and progress. It is
// kept as JSON in the import's counts column.
type ImportSummary struct {
	Rows           int            `json:"rows"`     // data rows read from the file
	Outcomes       map[string]int `json:"outcomes"` // rows per outcome, as they stand now
	Total          int            `json:"total"`    // rows the commit works through (invite and resend)
	Done           int            `json:"done"`     // of those, rows the commit has handled
	Sent           int            `json:"sent"`     // invitations SendImport queued emails for
	ResendExisting bool           `json:"resend_existing"`
	CreateTeams    bool           `json:"create_teams"`
	TeamsToCreate  []string       `json:"teams_to_create,omitempty"` // unknown teams the commit creates
	TeamsCreated   []string       `json:"teams_created,omitempty"`
	Ignored        []string       `json:"ignored_columns,omitempty"`
	Encoding       string         `json:"encoding,omitempty"`
	Separator      string         `json:"separator,omitempty"`
	By             string         `json:"by,omitempty"` // who uploaded it, as the audit log names them
	// Touched is when reading the file or committing last made progress (unix ms): see Stopped.
	Touched int64 `json:"touched,omitempty"`
}

// ToInvite is how many invitations a commit would create or resend: the number the admin
// confirms ("Are you sure? N invitations").
func (s ImportSummary) ToInvite() int { return s.Outcomes[OutcomeInvite] + s.Outcomes[OutcomeResend] }

// Import is an import with its summary decoded.
type Import struct {
	store.Import
	Summary ImportSummary
}

// ImportRow is one row of an import's report.
type ImportRow = store.ImportRow

func toImport(im store.Import) (Import, error) {
	out := Import{Import: im}
	if err := json.Unmarshal([]byte(im.Counts), &out.Summary); err != nil {
		return out, fmt.Errorf("the counts of import %s are not valid JSON: %w", im.ID, err)
	}
	if out.Summary.Outcomes == nil {
		out.Summary.Outcomes = map[string]int{}
	}
	if out.CreatorName == "" {
		out.CreatorName = out.Summary.By
	}
	return out, nil
}

// importStall is how long an import may go without progress while it is read or committed
// before it is taken as stopped: both record progress every few hundred milliseconds.
const importStall = time.Minute

// Stopped reports whether, at now, the import is being read or committed but has made no
// progress for a while: what worked on it stopped (Lobby was stopped or restarted), and it
// waits for someone to continue the commit, or to cancel a file that was not read to the end.
func (im Import) Stopped(now time.Time) bool {
	working := im.Status == ImportStatusReading || im.Status == ImportStatusCommitting
	return working && now.UnixMilli()-im.Summary.Touched > importStall.Milliseconds()
}

func (im *Import) encode() {
	im.Counts = string(mustJSON(im.Summary))
}

// getImport loads an import of the organization, as a typed not-found when it is not there.
func getImport(ctx context.Context, q store.Q, orgID, id string) (Import, error) {
	im, err := store.GetImport(ctx, q, orgID, id)
	if err != nil {
		return Import{}, notFound(err, "import")
	}
	return toImport(im)
}

// Import reads one import of the actor's organization with its counts and progress.
func (s *Service) Import(ctx context.Context, a Actor, id string) (Import, error) {
	if err := a.require(PermInvite); err != nil {
		return Import{}, err
	}
	return getImport(ctx, s.db.R, a.OrgID, id)
}

// ListImports returns one page of the organization's imports, newest first.
func (s *Service) ListImports(ctx context.Context, a Actor, p store.Page) ([]Import, error) {
	if err := a.require(PermInvite); err != nil {
		return nil, err
	}
	list, err := store.ListImports(ctx, s.db.R, a.OrgID, p)
	if err != nil {
		return nil, err
	}
	out := make([]Import, len(list))
	for i, im := range list {
		if out[i], err = toImport(im); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ImportRowFilter narrows ImportRows: rows after the line AfterLine (the cursor), with one
// of Outcomes when given, at most Limit (1..1000, default 50), and with Peek the first row
// after those when there is one (store.Page.Peek).
type ImportRowFilter struct {
	Outcomes  []string
	AfterLine int
	Limit     int
	Peek      bool
}

// ImportRows returns one page of an import's per-row report in file order.
func (s *Service) ImportRows(ctx context.Context, a Actor, id string, f ImportRowFilter) ([]ImportRow, error) {
	if err := a.require(PermInvite); err != nil {
		return nil, err
	}
	for _, o := range f.Outcomes {
		if _, ok := outcomeLabels[o]; !ok {
			return nil, errf(CodeInvalid, "outcome", "outcome %q is not one of %s", o, strings.Join(ImportOutcomes, ", "))
		}
	}
	if _, err := store.GetImport(ctx, s.db.R, a.OrgID, id); err != nil {
		return nil, notFound(err, "import")
	}
	return store.ListImportRows(ctx, s.db.R, id, store.ImportRowFilter{Outcomes: f.Outcomes, AfterLine: f.AfterLine, Limit: f.Limit,
		Peek: f.Peek})
}

// CancelImport drops a preview: nothing of it will be created. Its report stays in the history.
func (s *Service) CancelImport(ctx context.Context, a Actor, id string) (Import, error) {
	if err := a.require(PermInvite); err != nil {
		return Import{}, err
	}
	err := s.tx(ctx, false, func(q store.Q) error {
		im, err := getImport(ctx, q, a.OrgID, id)
		if err != nil {
			return err
		}
		if im.Status != ImportStatusPreview && im.Status != ImportStatusReading {
			return errf(CodeConflict, "", "this import is %s and can no longer be cancelled", im.Status)
		}
		im.Status = ImportStatusCancelled
		if err := store.UpdateImport(ctx, q, im.Import, ImportStatusPreview, ImportStatusReading); err != nil {
			return err
		}
		return s.writeAudit(ctx, q, s.audit(a, "import.cancelled", "import", id, map[string]any{"filename": im.Filename}, s.nowMs()))
	})
	if err != nil {
		return Import{}, err
	}
	return getImport(ctx, s.db.R, a.OrgID, id)
}

// fileError turns what csvin says about a file into one *Error for the uploader.
func fileError(err error) error {
	var fe *csvin.FormatError
	var le *csvin.LimitError
	switch {
	case errors.As(err, &fe):
		return &Error{Code: fe.Code, Field: "file", Message: fe.Msg}
	case errors.As(err, &le) && le.What == csvin.LimitRows:
		return &Error{Code: CodeTooManyRows, Field: "file", Message: le.Error()}
	case errors.As(err, &le):
		return &Error{Code: CodeFileTooLarge, Field: "file", Message: le.Error()}
	}
	return err
}

// cleanFilename keeps the base name of an uploaded file, without control characters, at most
// 200 characters; it is only ever shown.
func cleanFilename(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "." || name == "/" {
		name = ""
	}
	if r := []rune(name); len(r) > 200 {
		name = string(r[:200])
	}
	return name
}
