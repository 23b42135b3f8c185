package csvin

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// FuzzReader feeds arbitrary bytes to the reader. It must never panic; rows come with lines
// that start after the header and go up; cells are valid UTF-8 within MaxField characters;
// encoding/csv agrees with the splitter on every record; the only errors are the documented
// ones; and reading one byte at a time gives the same rows. Seeds: testdata/fuzz/FuzzReader.
func FuzzReader(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Limits{MaxRows: 200, MaxBytes: 1 << 16, MaxField: 64}
		rows, err := fuzzRead(t, bytes.NewReader(data), lim)
		again, err2 := fuzzRead(t, iotest.OneByteReader(bytes.NewReader(data)), lim)
		if !reflect.DeepEqual(rows, again) || (err == nil) != (err2 == nil) {
			t.Fatalf("one byte at a time differs:\n%+v %v\n%+v %v", rows, err, again, err2)
		}
	})
}

func fuzzRead(t *testing.T, in io.Reader, lim Limits) ([]Row, error) {
	r, err := NewReader(in, lim)
	var fe *FormatError
	var le *LimitError
	if err != nil {
		if !errors.As(err, &fe) && !errors.As(err, &le) {
			t.Fatalf("NewReader: unexpected error %T %v", err, err)
		}
		return nil, err
	}
	var rows []Row
	last := 1
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if !errors.As(err, &le) {
				t.Fatalf("Next: unexpected error %T %v", err, err)
			}
			return rows, err
		}
		if row.Line <= last {
			t.Fatalf("row at line %d follows line %d", row.Line, last)
		}
		last = row.Line
		cells := append([]string{row.Email, row.Name, row.Role}, append(row.Teams, row.Resources...)...)
		for _, c := range cells {
			if !utf8.ValidString(c) || utf8.RuneCountInString(c) > lim.MaxField {
				t.Fatalf("line %d: bad cell %q", row.Line, c)
			}
		}
		rows = append(rows, row)
		if len(rows) > lim.MaxRows {
			t.Fatalf("%d rows passed MaxRows %d", len(rows), lim.MaxRows)
		}
	}
	if r.strays != 0 {
		t.Fatalf("encoding/csv and the splitter disagreed on %d records", r.strays)
	}
	return rows, nil
}
