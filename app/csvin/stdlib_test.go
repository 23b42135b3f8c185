package csvin

import (
	"encoding/csv"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

// TestEncodingCSVAfterAParseError pins down the encoding/csv behaviour this package is built
// on: after a ParseError, Read returns the cells before the error and the next Read goes on at
// the next line; but a quote that is never closed makes it read to the end of the file, which
// is why records are delimited by the splitter before encoding/csv sees them.
func TestEncodingCSVAfterAParseError(t *testing.T) {
	t.Parallel()
	cr := csv.NewReader(strings.NewReader("a@x.com,Ann \"A\" Lee,x\nb@x.com,Bob\n"))
	cr.FieldsPerRecord = -1
	rec, err := cr.Read()
	var pe *csv.ParseError
	if !errors.As(err, &pe) || pe.Err != csv.ErrBareQuote || !reflect.DeepEqual(rec, []string{"a@x.com"}) {
		t.Fatalf("first Read = %q, %v; want the cells before a bare-quote error", rec, err)
	}
	if rec, err = cr.Read(); err != nil || rec[0] != "b@x.com" {
		t.Errorf("second Read = %q, %v; want the next line", rec, err)
	}

	cr = csv.NewReader(strings.NewReader("a@x.com,\"Ann\nb@x.com,Bob\nc@x.com,Cy\n"))
	cr.FieldsPerRecord = -1
	if _, err = cr.Read(); !errors.As(err, &pe) || pe.Err != csv.ErrQuote {
		t.Fatalf("unclosed quote: Read = %v; want ErrQuote", err)
	}
	if _, err = cr.Read(); err != io.EOF {
		t.Errorf("after an unclosed quote: Read = %v; want io.EOF (the rest of the file is gone)", err)
	}
}
