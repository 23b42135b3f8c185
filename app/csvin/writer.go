package csvin

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
)

// Neutralise makes a cell safe to open in a spreadsheet: a cell starting with '=', '+', '-',
// '@', a tab, a CR or a NUL would be read as a formula (OWASP "CSV injection", ASVS 1.2.10), so
// it gets a leading "'", which spreadsheets take as "this is text". Other cells are unchanged.
// Negative numbers gain the quote too; that is the accepted price.
func Neutralise(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '+', '-', '@', '\t', '\r', 0:
		return "'" + cell
	}
	return cell
}

// Writer writes CSV for people to open in a spreadsheet: every cell goes through Neutralise,
// the file starts with a UTF-8 byte order mark and lines end with CRLF. The BOM is what makes
// Excel read the file as UTF-8 rather than the Windows code page (names with accents would
// otherwise be garbled); Google Sheets, Numbers, LibreOffice and this package's Reader all
// ignore it. CRLF is RFC 4180's line end and what Excel writes. Inside cells, encoding/csv in
// CRLF mode writes line breaks as CRLF and drops a lone CR.
type Writer struct {
	cw  *csv.Writer
	row []string
}

// NewWriter returns a Writer to w. Nothing reaches w before Flush or a full buffer.
func NewWriter(w io.Writer) *Writer {
	bw := bufio.NewWriter(w)
	_, _ = bw.WriteString("\uFEFF") // into an empty buffer: cannot fail
	cw := csv.NewWriter(bw)         // reuses bw, so the BOM comes first
	cw.UseCRLF = true
	return &Writer{cw: cw}
}

// Write writes one row, each cell neutralised.
func (w *Writer) Write(cells []string) error {
	w.row = w.row[:0]
	for _, c := range cells {
		w.row = append(w.row, Neutralise(c))
	}
	return w.cw.Write(w.row)
}

// Flush writes any buffered rows to the underlying writer and returns the first error of any
// Write or Flush so far.
func (w *Writer) Flush() error {
	w.cw.Flush()
	return w.cw.Error()
}

// Template returns the CSV file admins download to fill in: the header
// email,name,role,team,resources and one example row, written by Writer.
func Template() []byte {
	var b bytes.Buffer
	w := NewWriter(&b)
	_ = w.Write([]string{"email", "name", "role", "team", "resources"}) // to a bytes.Buffer: cannot fail
	_ = w.Write([]string{"ada@example.com", "Ada Lovelace", "member", "Engineering;Research", "Onboarding course"})
	_ = w.Flush()
	return b.Bytes()
}
