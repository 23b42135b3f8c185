package org

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/lobby/lobby/app/csvin"
	"github.com/lobby/lobby/app/store"
)

// ImportOptions are chosen when a file is uploaded and hold for its commit.
type ImportOptions struct {
	// Filename is the uploaded file's name, shown in the history.
	Filename string
	// ResendExisting sends addresses that already have a pending invitation a new link (when
	// the commit sends emails) instead of leaving them alone.
	ResendExisting bool
	// CreateTeams creates, at commit, the teams the file names that do not exist yet, instead
	// of reporting their rows as unknown_team.
	CreateTeams bool
	// Limits bound the file; zero fields take csvin's defaults.
	Limits csvin.Limits
	// FirstRows is how many rows of the report the preview returns (default 100, at most 1000).
	FirstRows int
}

// ImportPreview is the answer to an upload: the stored import with its counts and the first
// rows of its report.
type ImportPreview struct {
	Import Import
	Rows   []ImportRow
}

// previewBatch is how many rows are classified, looked up and stored together.
const previewBatch = 1000

// PreviewImport reads a CSV file of invitations from r, classifies every row without creating
// anything, and stores the import (status preview) with its per-row report. A file that cannot
// be imported at all gets one *Error with a csvin FormatError code, CodeFileTooLarge or
// CodeTooManyRows, and nothing is kept of it. The file is streamed: memory does not grow with it
// beyond one address per row, for finding duplicates.
func (s *Service) PreviewImport(ctx context.Context, a Actor, r io.Reader, opt ImportOptions) (ImportPreview, error) {
	if err := a.require(PermInvite); err != nil {
		return ImportPreview{}, err
	}
	rd, err := csvin.NewReader(r, opt.Limits)
	if err != nil {
		return ImportPreview{}, fileError(err)
	}
	c, err := s.newClassifier(ctx, a, opt)
	if err != nil {
		return ImportPreview{}, err
	}
	now := s.nowMs()
	im := Import{Import: store.Import{ID: store.NewID(), OrgID: a.OrgID, Filename: cleanFilename(opt.Filename),
		Status: ImportStatusReading, CreatedBy: a.UserID, CreatedAt: now}}
	im.Summary = ImportSummary{Outcomes: map[string]int{}, ResendExisting: opt.ResendExisting, CreateTeams: opt.CreateTeams,
		Ignored: rd.Ignored(), Encoding: rd.Encoding(), Separator: separatorName(rd.Separator()), By: a.Name, Touched: now}
	im.encode()
	if err := s.tx(ctx, false, func(q store.Q) error { return store.CreateImport(ctx, q, im.Import) }); err != nil {
		return ImportPreview{}, err
	}
	err = s.readImport(ctx, rd, c, &im)
	if err == nil && im.Summary.Rows == 0 {
		err = &csvin.FormatError{Code: csvin.CodeEmpty, Msg: "the file has a header but no rows under it; add one row per person"}
	}
	if err != nil {
		// Nothing of a file that could not be read is kept.
		bg := context.WithoutCancel(ctx)
		_ = s.db.Tx(bg, func(q store.Q) error { return store.DeleteImport(bg, q, a.OrgID, im.ID) })
		return ImportPreview{}, fileError(err)
	}
	err = s.tx(ctx, false, func(q store.Q) error {
		if err := store.UpdateImportRows(ctx, q, im.ID, c.duplicateChanges()); err != nil {
			return err
		}
		im.Summary.Outcomes, im.Summary.TeamsToCreate = c.counts, c.toCreate
		im.Status = ImportStatusPreview
		im.encode()
		if err := store.UpdateImport(ctx, q, im.Import); err != nil {
			return err
		}
		return s.writeAudit(ctx, q, s.audit(a, "import.previewed", "import", im.ID,
			map[string]any{"filename": im.Filename, "rows": im.Summary.Rows, "outcomes": c.counts}, now))
	})
	if err != nil {
		return ImportPreview{}, err
	}
	first := opt.FirstRows
	if first <= 0 {
		first = 100
	}
	rows, err := store.ListImportRows(ctx, s.db.R, im.ID, store.ImportRowFilter{Limit: first})
	if err != nil {
		return ImportPreview{}, err
	}
	stored, err := getImport(ctx, s.db.R, a.OrgID, im.ID)
	return ImportPreview{Import: stored, Rows: rows}, err
}

// readImport streams the file through the classifier and stores the rows batch by batch.
func (s *Service) readImport(ctx context.Context, rd *csvin.Reader, c *classifier, im *Import) error {
	batch := make([]csvin.Row, 0, previewBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		rows, err := c.classify(ctx, s.db.R, batch)
		if err != nil {
			return err
		}
		for i := range rows {
			rows[i].ImportID = im.ID
		}
		batch = batch[:0]
		return s.tx(ctx, false, func(q store.Q) error {
			if err := store.InsertImportRows(ctx, q, rows); err != nil {
				return err
			}
			// The rows read so far, and a sign of life for the console (Import.Stopped).
			im.Summary.Touched = s.nowMs()
			im.encode()
			if err := store.UpdateImport(ctx, q, im.Import, ImportStatusReading); errors.Is(err, store.ErrNotFound) {
				return errf(CodeConflict, "", "this import was cancelled while its file was read")
			} else if err != nil {
				return err
			}
			return nil
		})
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		im.Summary.Rows++
		batch = append(batch, row)
		if len(batch) == previewBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

func separatorName(r rune) string {
	switch r {
	case ',':
		return "comma"
	case ';':
		return "semicolon"
	case '\t':
		return "tab"
	case '|':
		return "pipe"
	}
	return strings.TrimSpace(string(r))
}
