package csvin

import (
	"archive/zip"
	"bytes"
	"errors"
	"image"
	"image/png"
	"strings"
	"testing"
)

func TestReaderRejectsFilesThatAreNotCSV(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		in   []byte
		code string
		msg  string // the whole message when exact, else a substring
		full bool
	}{
		{"empty file", nil, CodeEmpty, "the file is empty", true},
		{"a UTF-8 BOM alone", []byte("\uFEFF"), CodeEmpty, "the file is empty", true},
		{"a UTF-16 BOM alone", []byte("\xFF\xFE"), CodeEmpty, "the file is empty", true},
		{"blank lines only", []byte("\r\n\r\n  \r\n,,,\r\n"), CodeEmpty, "the file is empty", true},
		{"an .xlsx", xlsx(t, "[Content_Types].xml", "xl/workbook.xml"), CodeNotText,
			"this looks like an Excel .xlsx file; save it as CSV (UTF-8) and upload that", true},
		{"an .ods", xlsx(t, "mimetype", "application/vnd.oasis.opendocument.spreadsheet"), CodeNotText, "OpenDocument spreadsheet (.ods)", false},
		{"an old .xls", append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 500)...), CodeNotText, "old Excel .xls file", false},
		{"a PNG", pngFile(t), CodeNotText, "this is a PNG image, not a CSV file", true},
		{"a PDF", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), CodeNotText, "PDF document", false},
		{"other binary", []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00"), CodeNotText, "this file is not text", false},
		{"headerless", []byte("ann@example.com,Ann\nbob@example.com,Bob\n"), CodeHeaderless,
			"the first line looks like data (ann@example.com), not column names; add a header line first", false},
		{"no email column", []byte("name,role\nAnn,member\n"), CodeNoEmailColumn,
			"the header has no email column; the first line must name the columns, e.g. email,name,role,team", true},
		{"duplicate columns", []byte("Email,name,E-mail,Team,Groups\n"), CodeDuplicateCols,
			`the header names the email column more than once: Email (column 1), E-mail (column 3); the team column more than once: Team (column 4), Groups (column 5); keep one of each`, true},
		{"a header longer than 256 KB", []byte("email," + strings.Repeat("x", 300<<10) + "\n"), CodeHeaderTooLong, "longer than 256 KB", false},
		{"a header with 20,000 columns", []byte("email" + strings.Repeat(",x", 20_000) + "\n"), CodeHeaderTooLong, "more than 16,384 columns", false},
		{"a quote misplaced in the header", []byte("email,na\"me\na@x.com,Ann\n"), CodeHeaderBadQuote, "misplaced quote", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := NewReader(bytes.NewReader(tc.in), Limits{})
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("NewReader = %v, %v; want a *FormatError", r, err)
			}
			if fe.Code != tc.code {
				t.Errorf("code = %q; want %q", fe.Code, tc.code)
			}
			if tc.full && err.Error() != tc.msg || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("message = %q; want %q", err, tc.msg)
			}
		})
	}
}

// xlsx builds a real zip archive whose first entry is named first and holds body.
func xlsx(t *testing.T, first, body string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: first, Method: zip.Store})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(body)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func pngFile(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
