package store

import (
	"database/sql"
	"errors"
	"strings"
)

// scanner is what *sql.Row and *sql.Rows share.
type scanner interface{ Scan(dest ...any) error }

// notFound turns sql.ErrNoRows into ErrNotFound so callers never see nil, nil.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// nullInt converts a nullable column to *int64.
func nullInt(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	v := n.Int64
	return &v
}

// intArg binds a *int64 as NULL or a number.
func intArg(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// strArg binds an empty string as NULL, for optional foreign keys.
func strArg(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// joinList stores a short list of strings as lines in one TEXT column.
func joinList(l []string) string { return strings.Join(l, "\n") }

// splitList is the inverse of joinList.
func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, "\n")
}

// placeholders returns "?, ?, ?" for n arguments.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// Page asks for one page of a list: most lists are ordered newest first by id, and the cursor
// is an id; teams are ordered by name, and the cursor is a name (ListTeamsPage).
type Page struct {
	// Limit is the page size; Normalise clamps it to 1..1000 with 50 as the default.
	Limit int
	// Cursor is the sort key (id, or team name) of the last row of the previous page, empty
	// for the first page.
	Cursor string
	// Peek asks for the first row of the next page too (up to Limit+1 rows), so the caller
	// learns in the same query whether another page follows: a page that is exactly full may
	// be the last one.
	Peek bool
}

// sqlLimit is the LIMIT of the page's query: one row more than the page when it peeks.
func (p Page) sqlLimit() int {
	if p.Peek {
		return p.Limit + 1
	}
	return p.Limit
}

// Normalise applies the default and the ceiling of the page size.
func (p Page) Normalise() Page {
	switch {
	case p.Limit <= 0:
		p.Limit = 50
	case p.Limit > 1000:
		p.Limit = 1000
	}
	return p
}

// likeArg escapes a search term for LIKE … ESCAPE '\'.
func likeArg(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(q)) + "%"
}
