package csvin

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestMaxRows(t *testing.T) {
	t.Parallel()
	res := readAll(t, bytes.NewReader(generate(100_001)), Limits{MaxRows: 100_000})
	var le *LimitError
	if !errors.As(res.err, &le) {
		t.Fatalf("error = %v; want a *LimitError", res.err)
	}
	if len(res.rows) != 100_000 {
		t.Errorf("read %d rows before the error; want 100,000", len(res.rows))
	}
	if le.What != LimitRows || le.Line != 100_002 {
		t.Errorf("LimitError = %+v; want rows at line 100,002", le)
	}
	if got := le.Error(); got != "the file has more than 100,000 rows; split it into smaller files" {
		t.Errorf("message = %q", got)
	}
}

func TestMaxRowsCountsOnlyRows(t *testing.T) {
	t.Parallel()
	in := "email\n\na@x.com\n,\nb@x.com\n\n\"c@x.com\n"
	if res := readAll(t, strings.NewReader(in), Limits{MaxRows: 3}); res.err != nil || len(res.rows) != 3 {
		t.Errorf("3 rows with MaxRows 3: %d rows, error %v", len(res.rows), res.err)
	}
	res := readAll(t, strings.NewReader(in+"d@x.com\n"), Limits{MaxRows: 3})
	var le *LimitError
	if !errors.As(res.err, &le) || le.Line != 8 || len(res.rows) != 3 {
		t.Errorf("4 rows with MaxRows 3: %d rows, error %v; want 3 rows, then the limit at line 8", len(res.rows), res.err)
	}
}

func TestMaxBytes(t *testing.T) {
	t.Parallel()
	file := generate(1000)
	n := int64(len(file))
	if res := readAll(t, bytes.NewReader(file), Limits{MaxBytes: n}); res.err != nil || len(res.rows) != 1000 {
		t.Errorf("a file of exactly MaxBytes: %d rows, error %v", len(res.rows), res.err)
	}
	r, err := NewReader(bytes.NewReader(file), Limits{MaxBytes: n - 1})
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for ; ; rows++ {
		if _, err = r.Next(); err != nil {
			break
		}
	}
	var le *LimitError
	if !errors.As(err, &le) || le.What != LimitBytes || le.Line != 1001 {
		t.Fatalf("one byte over: error %v (%+v); want a byte LimitError at line 1,001", err, le)
	}
	if rows != 999 {
		t.Errorf("rows before the error = %d; want 999", rows)
	}
	if _, again := r.Next(); again != err {
		t.Errorf("Next after the limit = %v; want the same error again", again)
	}
	if got := le.Error(); got != "the file is larger than "+byteSize(n-1)+"; split it into smaller files" {
		t.Errorf("message = %q", got)
	}
	if got := (&LimitError{What: LimitBytes, Limit: DefaultMaxBytes}).Error(); got != "the file is larger than 20 MB; split it into smaller files" {
		t.Errorf("default message = %q", got)
	}
}

func TestMaxBytesInsideTheHeader(t *testing.T) {
	t.Parallel()
	_, err := NewReader(strings.NewReader("email,name,role,team,resources\n"), Limits{MaxBytes: 10})
	var le *LimitError
	if !errors.As(err, &le) || le.What != LimitBytes || le.Line != 1 {
		t.Errorf("NewReader = %v; want a byte LimitError at line 1", err)
	}
}

func TestReadErrorsAreReturnedWithTheLine(t *testing.T) {
	t.Parallel()
	boom := errors.New("connection reset")
	in := io.MultiReader(bytes.NewReader(generate(3000)), iotestErr{boom}) // past the 64 KiB sniffed up front
	res := readAll(t, in, Limits{})
	if !errors.Is(res.err, boom) || !strings.Contains(res.err.Error(), "line 3002") || len(res.rows) != 3000 {
		t.Errorf("rows %d, error %v; want 3,000 rows then %v at line 3002", len(res.rows), res.err, boom)
	}
	_, err := NewReader(io.MultiReader(strings.NewReader("email\na@x.com\n"), iotestErr{boom}), Limits{})
	if !errors.Is(err, boom) {
		t.Errorf("an error while sniffing: NewReader = %v; want %v", err, boom)
	}
}

type iotestErr struct{ err error }

func (e iotestErr) Read([]byte) (int, error) { return 0, e.err }

func TestFormatting(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 100_000: "100,000", 1_234_567: "1,234,567", -1000: "-1,000"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q; want %q", n, got, want)
		}
	}
	for n, want := range map[int64]string{20 << 20: "20 MB", 512 << 10: "512 KB", 1000: "1,000 bytes", 1<<20 + 1: "1,048,577 bytes"} {
		if got := byteSize(n); got != want {
			t.Errorf("byteSize(%d) = %q; want %q", n, got, want)
		}
	}
}
