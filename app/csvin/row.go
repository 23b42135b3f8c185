package csvin

import (
	"encoding/csv"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// row builds the Row for one record from its cells and says what is wrong with it, if anything.
func (r *Reader) row(rec record, cells []string, perr error) Row {
	row := Row{Line: rec.line}
	c, maxField := r.cols, r.lim.MaxField
	var problems []string
	badUTF8 := false
	for i, cell := range cells {
		if i >= len(c.fields) || c.fields[i] == fIgnored {
			continue
		}
		if len(cell) > maxField && utf8.RuneCountInString(cell) > maxField {
			if rec.cut == cutNone {
				problems = append(problems, fmt.Sprintf("the %s cell is longer than %s characters", c.name(i), Thousands(int64(maxField))))
			}
			cell = truncateRunes(cell, maxField)
		}
		if !utf8.ValidString(cell) {
			badUTF8 = true
			cell = strings.ToValidUTF8(cell, "\uFFFD")
		}
		cell = strings.TrimSpace(cell)
		switch c.fields[i] {
		case fEmail:
			row.Email = cell
		case fName:
			row.Name = cell
		case fRole:
			row.Role = cell
		case fTeam:
			row.Teams = splitList(cell)
		case fResources:
			row.Resources = splitList(cell)
		}
	}
	var pe *csv.ParseError
	switch {
	case rec.cut == cutLong || rec.cut == cutLongQuoted:
		problems = append(problems, r.cutProblem(rec))
	case rec.cut == cutOpenQuote:
		problems = append(problems, fmt.Sprintf("the %s cell opens a quote (\") that is not closed properly; reading went on with the next line",
			c.name(rec.quoted)))
	case errors.As(perr, &pe) && pe.Err == csv.ErrBareQuote:
		problems = append(problems, fmt.Sprintf("the %s cell has a quote (\") inside but does not start with one; put the whole cell in quotes and double the quote inside (\"\")",
			c.name(len(cells))))
	case errors.As(perr, &pe) && pe.Err == csv.ErrQuote:
		problems = append(problems, fmt.Sprintf("the %s cell has text after its closing quote (\"); to put a quote inside a quoted cell, double it (\"\")",
			c.name(len(cells))))
	case perr != nil:
		problems = append(problems, perr.Error())
	case len(cells) < len(c.fields) || len(cells) > len(c.fields) && !allBlank(cells[len(c.fields):]):
		problems = append(problems, fmt.Sprintf("the row has %s but the header has %s",
			plural(len(cells), "cell"), plural(len(c.fields), "column")))
	}
	if badUTF8 {
		problems = append(problems, "the row has text that is not valid UTF-8 (shown as \uFFFD); save the file as CSV UTF-8")
	}
	row.Problem = strings.Join(problems, "; ")
	return row
}

// cutProblem describes a record cut at one of its caps.
func (r *Reader) cutProblem(rec record) string {
	var what string
	switch rec.over {
	case capCell:
		what = fmt.Sprintf("the %s cell is longer than %s characters", r.cols.name(rec.field), Thousands(int64(r.lim.MaxField)))
	case capRow:
		what = "the row is longer than " + byteSize(int64(r.caps.row))
	case capCells:
		what = fmt.Sprintf("the row has more than %s cells", Thousands(int64(r.caps.cells)))
	}
	if rec.cut == cutLongQuoted {
		return fmt.Sprintf("%s, or the %s cell opens a quote (\") that is never closed; reading went on with the next line",
			what, r.cols.name(rec.quoted))
	}
	return what + "; the rest of the line was skipped"
}

// splitList splits a team or resources cell on ',' ';' and '|', trims the parts and drops
// empty and repeated ones.
func splitList(cell string) []string {
	var out []string
	for cell != "" {
		part := cell
		if i := strings.IndexAny(cell, ",;|"); i >= 0 {
			part, cell = cell[:i], cell[i+1:]
		} else {
			cell = ""
		}
		part = strings.TrimSpace(part)
		if part != "" && !slices.Contains(out, part) {
			if out == nil {
				out = make([]string, 0, strings.Count(cell, ",")+strings.Count(cell, ";")+strings.Count(cell, "|")+1)
			}
			out = append(out, part)
		}
	}
	return out
}

// allBlank is true when every cell is empty or white space.
func allBlank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// plural writes "1 cell", "3 cells".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return Thousands(int64(n)) + " " + noun + "s"
}

// truncateRunes keeps the first n characters of s.
func truncateRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}
