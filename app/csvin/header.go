package csvin

import (
	"bytes"
	"fmt"
	"strings"
)

// field is a column Lobby knows.
type field uint8

const (
	fIgnored field = iota
	fEmail
	fName
	fRole
	fTeam
	fResources
)

var fieldNames = [...]string{"", "email", "name", "role", "team", "resources"}

// aliases maps a normalised header cell (see headerKey) to the field it names.
var aliases = map[string]field{
	"email": fEmail, "e-mail": fEmail, "email address": fEmail, "e-mail address": fEmail, "mail": fEmail,
	"name": fName, "full name": fName, "display name": fName,
	"role": fRole,
	"team": fTeam, "teams": fTeam, "group": fTeam, "groups": fTeam,
	"resources": fResources, "resource": fResources,
}

// headerKey normalises a header cell for matching: no BOM, trimmed, lower case, underscores as
// spaces, runs of spaces as one. "E-Mail", " Email_Address " → "e-mail", "email address".
func headerKey(s string) string {
	s = strings.ToLower(strings.ReplaceAll(s, "_", " "))
	return strings.Join(strings.Fields(s), " ")
}

// cleanHeaderCell trims a header cell and drops stray BOMs (a file saved twice with one).
func cleanHeaderCell(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\uFEFF", ""))
}

// columns is what the header says about each column.
type columns struct {
	names   []string // header cells, trimmed, for messages
	fields  []field  // per column
	ignored []string // names of columns Lobby does not read (unnamed ones left out)
}

// name returns how to refer to column i in a message: its header text, or "column N".
func (c *columns) name(i int) string {
	if i < len(c.names) && c.names[i] != "" {
		return fmt.Sprintf("%q", c.names[i])
	}
	return fmt.Sprintf("column %d", i+1)
}

// mapHeader reads the header cells into columns, or says why they are not a usable header.
func mapHeader(cells []string) (*columns, error) {
	c := &columns{names: make([]string, len(cells)), fields: make([]field, len(cells))}
	for i, cell := range cells {
		c.names[i] = cleanHeaderCell(cell)
	}
	for _, n := range c.names {
		if looksLikeEmail(n) {
			return nil, formatErr(CodeHeaderless,
				"the first line looks like data (%s), not column names; add a header line first, e.g. email,name,role,team,resources", n)
		}
	}
	seen := map[field][]int{}
	var dups []field
	for i, n := range c.names {
		f := aliases[headerKey(n)]
		c.fields[i] = f
		if f == fIgnored {
			if n != "" {
				c.ignored = append(c.ignored, n)
			}
			continue
		}
		if len(seen[f]) == 1 {
			dups = append(dups, f)
		}
		seen[f] = append(seen[f], i)
	}
	if len(seen[fEmail]) == 0 {
		return nil, formatErr(CodeNoEmailColumn,
			"the header has no email column; the first line must name the columns, e.g. email,name,role,team")
	}
	if len(dups) > 0 {
		parts := make([]string, len(dups))
		for k, f := range dups {
			var cols []string
			for _, i := range seen[f] {
				cols = append(cols, fmt.Sprintf("%s (column %d)", c.names[i], i+1))
			}
			parts[k] = fmt.Sprintf("the %s column more than once: %s", fieldNames[f], strings.Join(cols, ", "))
		}
		return nil, formatErr(CodeDuplicateCols, "the header names %s; keep one of each", strings.Join(parts, "; "))
	}
	return c, nil
}

// looksLikeEmail is true for a cell that is plainly an address (x@y, no spaces): a header never
// holds one, a first row of data usually does.
func looksLikeEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " \t,;\"<>")
}

// detectSeparator picks the separator from the first line with content: the most frequent of
// ',' ';' and tab outside quotes (',' on a tie or when there is none). Excel's "sep=;" first
// line is obeyed, and skip reports that it must be skipped.
func detectSeparator(head []byte) (sep byte, skip bool) {
	if len(head) >= 5 && bytes.EqualFold(head[:4], []byte("sep=")) {
		rest := head[5:]
		if strings.IndexByte(",;\t|", head[4]) >= 0 && (len(rest) == 0 || rest[0] == '\r' || rest[0] == '\n') {
			return head[4], true
		}
	}
	for len(head) > 0 { // skip lines with nothing but spaces
		i := bytes.IndexByte(head, '\n')
		if i < 0 || len(bytes.Trim(head[:i], " \r")) > 0 {
			break
		}
		head = head[i+1:]
	}
	var commas, semis, tabs int
	inQuote := false
scan:
	for _, b := range head {
		switch {
		case b == '"':
			inQuote = !inQuote
		case inQuote:
		case b == '\n':
			break scan
		case b == ',':
			commas++
		case b == ';':
			semis++
		case b == '\t':
			tabs++
		}
	}
	switch {
	case semis > commas && semis >= tabs:
		return ';', false
	case tabs > commas && tabs > semis:
		return '\t', false
	}
	return ',', false
}
