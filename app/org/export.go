package org

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/lobby/lobby/app/csvin"
	"github.com/lobby/lobby/app/store"
)

// exportPage is how many rows an export reads from the store at a time.
const exportPage = 1000

// Export is a CSV file ready to be streamed. Whatever could refuse it (permissions, filters)
// was checked when it was made, so a transport can send its headers before Write starts.
type Export struct {
	// Filename is a name for the download, e.g. "acme-members-2026-03-01.csv", made only of
	// letters, digits, '.', '-' and '_' (downloadName), so it fits a Content-Disposition header
	// as it is.
	Filename string
	header   []string
	// next returns the rows of the next page, or none at the end.
	next func(ctx context.Context) ([][]string, error)
}

// Write streams the export to w as CSV for spreadsheets (csvin.Writer: every cell neutralised,
// a UTF-8 byte order mark, CRLF), one page at a time, flushing after each.
func (e Export) Write(ctx context.Context, w io.Writer) error {
	cw := csvin.NewWriter(w)
	if err := cw.Write(e.header); err != nil {
		return err
	}
	for {
		rows, err := e.next(ctx)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := cw.Write(r); err != nil {
				return err
			}
		}
		if err := cw.Flush(); err != nil || len(rows) == 0 {
			return err
		}
	}
}

func (s *Service) exportName(ctx context.Context, orgID, what string) string {
	slug := "lobby"
	if o, err := store.GetOrg(ctx, s.db.R, orgID); err == nil {
		slug = o.Slug
	}
	return slug + "-" + what + "-" + s.now().UTC().Format("2006-01-02") + ".csv"
}

// ExportMembers exports the members that ListMembers would list with the filter f (its page
// is ignored), newest first.
func (s *Service) ExportMembers(ctx context.Context, a Actor, f store.MemberFilter) (Export, error) {
	f.Page = store.Page{Limit: exportPage}
	first, err := s.ListMembers(ctx, a, f)
	if err != nil {
		return Export{}, err
	}
	e := Export{Filename: s.exportName(ctx, a.OrgID, "members"),
		header: []string{"email", "name", "role", "team", "status", "source", "joined_at"}}
	e.next = pager(first, func(ctx context.Context, cursor string) ([]MemberView, error) {
		f.Page.Cursor = cursor
		return s.ListMembers(ctx, a, f)
	}, func(m MemberView) string { return m.ID }, func(m MemberView) []string {
		return []string{m.Email, m.Name, m.RoleKey, strings.Join(m.Teams, "; "), m.Status, m.Source, csvTime(&m.JoinedAt)}
	})
	return e, nil
}

// ExportInvitations exports the invitations that ListInvitations would list with the filter f
// (its page is ignored), newest first.
func (s *Service) ExportInvitations(ctx context.Context, a Actor, f store.InvitationFilter) (Export, error) {
	f.Page = store.Page{Limit: exportPage}
	first, err := s.ListInvitations(ctx, a, f)
	if err != nil {
		return Export{}, err
	}
	e := Export{Filename: s.exportName(ctx, a.OrgID, "invitations"),
		header: []string{"email", "name", "role", "team", "status", "delivery_status", "invited_by", "import_id",
			"created_at", "expires_at", "sent_at", "accepted_at"}}
	e.next = pager(first, func(ctx context.Context, cursor string) ([]InvitationView, error) {
		f.Page.Cursor = cursor
		return s.ListInvitations(ctx, a, f)
	}, func(v InvitationView) string { return v.ID }, func(v InvitationView) []string {
		return []string{v.Email, v.Name, v.RoleKey, strings.Join(v.Teams, "; "), v.Status, v.DeliveryStatus,
			v.InviterEmail, v.ImportID, csvTime(&v.CreatedAt), csvTime(&v.ExpiresAt), csvTime(v.SentAt), csvTime(v.AcceptedAt)}
	})
	return e, nil
}

// pager turns a first page and a way to read the page after a cursor into Export.next.
func pager[T any](first []T, more func(ctx context.Context, cursor string) ([]T, error), idOf func(T) string,
	cells func(T) []string) func(ctx context.Context) ([][]string, error) {
	page, started, done := first, false, false
	return func(ctx context.Context) ([][]string, error) {
		if done {
			return nil, nil
		}
		if started {
			if len(page) < exportPage {
				done = true
				return nil, nil
			}
			var err error
			if page, err = more(ctx, idOf(page[len(page)-1])); err != nil {
				return nil, err
			}
		}
		started = true
		rows := make([][]string, len(page))
		for i, v := range page {
			rows[i] = cells(v)
		}
		if len(page) == 0 {
			done = true
		}
		return rows, nil
	}
}

// csvTime writes a time as RFC 3339 UTC, or nothing for none.
func csvTime(ms *int64) string {
	if ms == nil {
		return ""
	}
	return time.UnixMilli(*ms).UTC().Format(time.RFC3339)
}

// downloadName keeps the characters of name that need no quoting in a Content-Disposition
// header and replaces the others with '_': an uploaded file's name must not add parameters to
// the header (filename*=…) or reverse its text on screen.
func downloadName(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			return r
		}
		return '_'
	}, name)
}
