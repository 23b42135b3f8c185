package csvin

import (
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Default limits, used for every Limits field left at zero.
const (
	DefaultMaxRows  = 100_000
	DefaultMaxBytes = 20 << 20 // 20 MB
	DefaultMaxField = 4096
)

// Limits bounds one upload. A zero (or negative) field takes its default.
type Limits struct {
	MaxRows  int   // data rows, not counting the header, blank lines and empty rows
	MaxBytes int64 // size of the file as uploaded, before any decoding
	MaxField int   // characters in one cell
}

func (l Limits) withDefaults() Limits {
	if l.MaxRows <= 0 {
		l.MaxRows = DefaultMaxRows
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxField <= 0 {
		l.MaxField = DefaultMaxField
	}
	return l
}

// What a LimitError is about.
const (
	LimitRows  = "rows"
	LimitBytes = "bytes"
)

// LimitError reports that the file goes over one of its Limits. It ends the reading, and the
// caller should turn the whole file away with its message.
type LimitError struct {
	What  string // LimitRows or LimitBytes
	Limit int64  // the limit that was passed
	Line  int    // the physical line being read when it was passed
}

// Error says which limit was passed and what to do about it.
func (e *LimitError) Error() string {
	if e.What == LimitRows {
		return fmt.Sprintf("the file has more than %s rows; split it into smaller files", Thousands(e.Limit))
	}
	return fmt.Sprintf("the file is larger than %s; split it into smaller files", byteSize(e.Limit))
}

// Codes of FormatError.
const (
	CodeEmpty          = "empty"             // no bytes, or only blank lines
	CodeNotText        = "not_text"          // binary: an image, a PDF, an .xlsx, …
	CodeHeaderless     = "headerless"        // the first line is data, not column names
	CodeNoEmailColumn  = "no_email_column"   // the header names no email column
	CodeDuplicateCols  = "duplicate_columns" // two columns map onto the same field
	CodeHeaderTooLong  = "header_too_long"   // the first line passes 1 MiB
	CodeHeaderBadQuote = "header_bad_quote"  // the header line is not valid CSV
)

// FormatError reports a file that cannot be read as a CSV of invitations at all. Msg is written
// for the person who uploaded the file and says what to change.
type FormatError struct {
	Code string // one of the Code constants, for API error codes
	Msg  string
}

// Error returns the message for the uploader.
func (e *FormatError) Error() string { return e.Msg }

func formatErr(code, format string, args ...any) error {
	return &FormatError{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// errTooBig is what countingReader returns past MaxBytes; Reader turns it into a *LimitError.
var errTooBig = errors.New("csvin: byte limit passed")

// Thousands formats n with comma thousands separators: 100000 → "100,000". The console
// writes its counts with it too.
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if neg {
		out = append(out, '-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// byteSize formats a byte count as people read file sizes: 20971520 → "20 MB".
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return Thousands(n>>20) + " MB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return Thousands(n>>10) + " KB"
	}
	return Thousands(n) + " bytes"
}

// countingReader passes at most max bytes through and then fails with errTooBig, for good.
type countingReader struct {
	r   io.Reader
	n   int64
	max int64
	err error
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if room := c.max + 1 - c.n; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.max {
		n -= int(c.n - c.max)
		c.n = c.max
		c.err = errTooBig
		return n, c.err
	}
	if err != nil {
		c.err = err
	}
	return n, err
}
