package csvin

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
)

// Row is one data row of the file. When Problem is set the row is malformed: the fields hold
// what could be read, and the row should be shown to the admin rather than imported. Cells are
// trimmed but otherwise as in the file: addresses, roles and teams are checked by the caller.
type Row struct {
	Line      int      // physical line the row starts on; the header is line 1
	Email     string   // the email cell as written
	Name      string   // empty when the file has no name column
	Role      string   // empty when the file has no role column
	Teams     []string // the team cell split on ',' ';' '|', trimmed, without empties and repeats
	Resources []string // the resources cell, split like Teams
	Problem   string   // why the row is malformed; empty for a good row
}

// Bounds that keep a hostile file cheap; real files are far inside them.
const (
	headerCap   = 256 << 10 // bytes of the header line
	maxColumns  = 16_384    // columns in the header, as many as Excel has
	maxRowBytes = 1 << 20   // bytes of one data row
)

// Reader streams the rows of one uploaded file. It is not safe for concurrent use.
type Reader struct {
	lim    Limits
	count  countingReader
	sp     splitter
	feed   feeder
	br     *bufio.Reader
	cr     *csv.Reader
	cols   *columns
	enc    string
	caps   caps // bounds on one data row, from the limits and the header
	rows   int
	strays int   // records encoding/csv read differently from the splitter; tests expect 0
	err    error // sticky: io.EOF, a *LimitError or a read error
}

// NewReader sniffs the file's encoding and separator, reads its header and returns a Reader
// positioned at the first data row. A file that cannot be read as a CSV of invitations gets a
// *FormatError, a file over the limits before its header ends a *LimitError; any other error is
// the underlying reader's.
func NewReader(r io.Reader, lim Limits) (*Reader, error) {
	rd := &Reader{lim: lim.withDefaults()}
	rd.count = countingReader{r: r, max: rd.lim.MaxBytes}
	text, enc, err := openText(&rd.count)
	if err != nil {
		return nil, rd.fail(err, 0)
	}
	rd.enc = enc
	head, _ := text.Peek(bufSize) // errors come back from the reads that follow
	sep, skipFirst := detectSeparator(head)
	rd.sp = splitter{src: text, sep: sep, line: 1, budget: rd.lim.MaxBytes}
	rd.br = bufio.NewReaderSize(&rd.feed, 4096)
	rd.cr = csv.NewReader(rd.br) // uses rd.br itself, so leftovers can be seen and dropped
	rd.cr.Comma = rune(sep)
	rd.cr.FieldsPerRecord = -1
	rd.cr.ReuseRecord = true
	if skipFirst {
		if err := rd.sp.skipLine(nil); err != nil {
			return nil, rd.fail(err, 1)
		}
	}
	if err := rd.readHeader(); err != nil {
		return nil, err
	}
	cell := 4*rd.lim.MaxField + 4 // 4 bytes a character at most, plus quotes and a CRLF
	rd.caps = caps{
		cell:  cell,
		row:   min(max(64<<10, (len(rd.cols.fields)+1)*cell), maxRowBytes),
		cells: len(rd.cols.fields) + 256,
	}
	return rd, nil
}

// readHeader reads the first record with any content and maps its columns.
func (r *Reader) readHeader() error {
	for {
		rec, err := r.sp.next(caps{cell: headerCap, row: headerCap, cells: maxColumns})
		if err == io.EOF {
			return formatErr(CodeEmpty, "the file is empty")
		}
		if err != nil {
			return r.fail(err, rec.line)
		}
		if rec.cut != cutNone {
			return formatErr(CodeHeaderTooLong,
				"the first line is longer than 256 KB, has more than 16,384 columns or opens a quote (\") it never closes; is this a CSV file with a header line?")
		}
		cells, perr := r.parse(rec.raw)
		if perr != nil {
			return formatErr(CodeHeaderBadQuote,
				"the header line (line %d) has a misplaced quote (\"); the first line must name the columns, e.g. email,name,role,team", rec.line)
		}
		if allBlank(cells) {
			continue
		}
		r.cols, err = mapHeader(cells)
		return err
	}
}

// Next returns the next data row, skipping blank lines and rows whose cells are all empty. It
// returns io.EOF after the last row, a *LimitError when the file passes a limit, or the
// underlying reader's error; after an error every call returns the same error.
func (r *Reader) Next() (Row, error) {
	for r.err == nil {
		rec, err := r.sp.next(r.caps)
		if err != nil {
			r.err = r.fail(err, r.sp.line)
			break
		}
		if rec.cut == cutNone && blankLine(rec.raw) {
			continue
		}
		cells, perr := r.parse(rec.raw)
		if rec.cut == cutNone && perr == nil && allBlank(cells) {
			continue
		}
		r.rows++
		if r.rows > r.lim.MaxRows {
			r.err = &LimitError{What: LimitRows, Limit: int64(r.lim.MaxRows), Line: rec.line}
			break
		}
		return r.row(rec, cells, perr), nil
	}
	return Row{}, r.err
}

// Ignored names the header's columns that Lobby does not read, in file order. Unnamed
// columns, which spreadsheets often export empty, are not listed.
func (r *Reader) Ignored() []string { return slices.Clone(r.cols.ignored) }

// Encoding names the encoding the file was read in, e.g. "UTF-16LE".
func (r *Reader) Encoding() string { return r.enc }

// Separator returns the separator the file was read with: ',', ';', '\t' or, from a "sep="
// first line, '|'.
func (r *Reader) Separator() rune { return r.cr.Comma }

// fail turns the byte-limit sentinel into a *LimitError and wraps read errors with the line
// (0 when it is not known yet).
func (r *Reader) fail(err error, line int) error {
	var fe *FormatError
	switch {
	case err == io.EOF, errors.As(err, &fe):
		return err
	case errors.Is(err, errTooBig):
		return &LimitError{What: LimitBytes, Limit: r.lim.MaxBytes, Line: max(line, 1)}
	case line == 0:
		return fmt.Errorf("reading the CSV file: %w", err)
	}
	return fmt.Errorf("reading the CSV file at line %d: %w", line, err)
}

// parse splits one record into cells with encoding/csv. The cells are valid until the next call.
func (r *Reader) parse(raw []byte) ([]string, error) {
	r.feed.b = raw
	cells, err := r.cr.Read()
	if r.br.Buffered() > 0 || len(r.feed.b) > 0 { // never expected: keep records apart anyway
		r.strays++
		r.feed.b = nil
		r.br.Reset(&r.feed)
	}
	if err == io.EOF { // a record csv skips as an empty line
		return nil, nil
	}
	return cells, err
}

// blankLine is true for a record that is only a line end.
func blankLine(raw []byte) bool {
	return len(raw) == 1 || len(raw) == 2 && raw[0] == '\r'
}

// feeder hands encoding/csv one record at a time.
type feeder struct{ b []byte }

func (f *feeder) Read(p []byte) (int, error) {
	if len(f.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, f.b)
	f.b = f.b[n:]
	return n, nil
}
