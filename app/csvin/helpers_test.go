package csvin

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

// result is everything a test may want to check after reading a whole file.
type result struct {
	rows    []Row
	ignored []string
	enc     string
	sep     rune
	err     error // from NewReader, or the error that ended Next (nil for io.EOF)
	strays  int
}

// readAll reads a whole file with the given limits.
func readAll(t testing.TB, in io.Reader, lim Limits) result {
	t.Helper()
	r, err := NewReader(in, lim)
	if err != nil {
		return result{err: err}
	}
	res := result{ignored: r.Ignored(), enc: r.Encoding(), sep: r.Separator()}
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			res.err = err
			break
		}
		res.rows = append(res.rows, row)
	}
	res.strays = r.strays
	return res
}

// utf16File encodes s as UTF-16 in the given byte order, with a BOM when bom is set, as Excel's
// "Unicode Text" export does.
func utf16File(s string, bigEndian, bom bool) []byte {
	if bom {
		s = "\uFEFF" + s
	}
	units := utf16.Encode([]rune(s))
	out := make([]byte, 0, 2*len(units))
	for _, u := range units {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

// crlf joins lines with CRLF, the way Excel writes them, with a final CRLF.
func crlf(lines ...string) string { return strings.Join(lines, "\r\n") + "\r\n" }

// generate writes a file with a header and n rows of realistic width (~60 bytes a row).
func generate(n int) []byte {
	var b bytes.Buffer
	b.Grow(n * 64)
	b.WriteString("email,name,role,team,resources\r\n")
	for i := range n {
		b.WriteString("person")
		b.WriteString(strconv.Itoa(i))
		b.WriteString("@example.com,Person ")
		b.WriteString(strconv.Itoa(i))
		b.WriteString(",member,\"Engineering, Ops\",Onboarding\r\n")
	}
	return b.Bytes()
}
