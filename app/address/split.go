package address

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

const maxName = 200 // runes of a display name taken from a pasted list

// Candidate is one entry of a pasted list. Raw is the entry as pasted (trimmed),
// Name the display name given with it, if any, and Email the address normalised by
// Parse. When the entry is not usable, Err says why (an *Error) and Email is "".
type Candidate struct {
	Raw   string
	Name  string
	Email string
	Err   error
}

// SplitList splits text pasted from a spreadsheet or a mail client into candidate
// addresses, in order. Entries are separated by line breaks, commas, semicolons and
// tabs, except inside double quotes or angle brackets. It understands the forms
// `Name <email>` and `"Last, First" <email>`: this is the only place Lobby accepts a
// display name, and the address inside the brackets still goes through Parse. Blank
// entries are skipped.
func SplitList(text string) []Candidate {
	var out []Candidate
	lines := strings.FieldsFunc(text, func(r rune) bool {
		return r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029'
	})
	for _, line := range lines {
		for _, cell := range splitCells(line) {
			if strings.TrimSpace(cell) == "" {
				continue
			}
			out = append(out, parseEntry(cell))
		}
	}
	return out
}

// splitCells splits one line at commas, semicolons and tabs that are outside double
// quotes (where a backslash escapes the next character) and angle brackets.
func splitCells(line string) []string {
	var cells []string
	start, inQuote, inAngle, escaped := 0, false, false, false
	for i, r := range line {
		switch {
		case escaped:
			escaped = false
		case inQuote && r == '\\':
			escaped = true
		case r == '"' && !inAngle:
			inQuote = !inQuote
		case inQuote:
		case r == '<':
			inAngle = true
		case r == '>':
			inAngle = false
		case !inAngle && (r == ',' || r == ';' || r == '\t'):
			cells = append(cells, line[start:i])
			start = i + 1
		}
	}
	return append(cells, line[start:])
}

// parseEntry turns one cell into a Candidate, splitting off a display name given in
// the form `Name <email>`.
func parseEntry(cell string) Candidate {
	raw := strings.TrimSpace(cell)
	c := Candidate{Raw: raw}
	addr := raw
	if strings.ContainsAny(raw, "<>") {
		lt, gt := strings.LastIndexByte(raw, '<'), len(raw)-1
		if lt < 0 || raw[gt] != '>' || strings.IndexByte(raw[lt:gt], '>') >= 0 {
			c.Err = invalid("is not in the form Name <name@example.com>")
			return c
		}
		name, msg := cleanName(raw[:lt])
		if msg != "" {
			c.Err = invalid(msg)
			return c
		}
		c.Name = name
		addr = raw[lt+1 : gt]
	}
	email, err := Parse(addr)
	if err != nil {
		c.Err = err
		return c
	}
	c.Email = email
	return c
}

// cleanName unquotes a display name, drops control and invisible characters and
// collapses runs of whitespace. It returns a phrase completing "email address …"
// when the name is refused.
func cleanName(s string) (string, string) {
	s = strings.TrimSpace(s)
	quoted := len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"'
	if !quoted && strings.ContainsAny(s, "<>") {
		return "", "is not in the form Name <name@example.com>"
	}
	if quoted {
		var b strings.Builder
		inner := s[1 : len(s)-1]
		for i := 0; i < len(inner); i++ {
			if inner[i] == '\\' && i+1 < len(inner) {
				i++
			}
			b.WriteByte(inner[i])
		}
		s = b.String()
	}
	if !utf8.ValidString(s) {
		return "", "has a name that is not valid UTF-8 text"
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > maxName {
		return "", "has a name longer than 200 characters"
	}
	return s, ""
}
