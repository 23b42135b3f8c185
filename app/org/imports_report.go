package org

import (
	"context"
	"strconv"
	"strings"

	"github.com/lobby/lobby/app/store"
)

// ImportReport exports the per-row report of an import as CSV, in file order: the line, the
// row as read (the address normalised when it is valid), the outcome code and its wording, the
// message and the invitation made for the row.
func (s *Service) ImportReport(ctx context.Context, a Actor, id string) (Export, error) {
	im, err := s.Import(ctx, a, id)
	if err != nil {
		return Export{}, err
	}
	name := strings.TrimSuffix(im.Filename, ".csv")
	if name == "" {
		name = "import-" + im.ID
	}
	after, done := 0, false
	return Export{Filename: downloadName(name + ".report.csv"),
		header: []string{"line", "email", "name", "role", "team", "outcome", "result", "message", "invitation_id"},
		next: func(ctx context.Context) ([][]string, error) {
			if done {
				return nil, nil
			}
			rows, err := store.ListImportRows(ctx, s.db.R, id, store.ImportRowFilter{AfterLine: after, Limit: exportPage})
			if err != nil {
				return nil, err
			}
			done = len(rows) < exportPage
			out := make([][]string, len(rows))
			for i, r := range rows {
				out[i] = []string{strconv.Itoa(r.Line), r.Email, r.Name, r.Role, strings.Join(r.Teams, "; "), r.Outcome,
					OutcomeLabel(r.Outcome), r.Message, r.InvitationID}
				after = r.Line
			}
			return out, nil
		}}, nil
}
