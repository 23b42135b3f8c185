package csvin

import (
	"bufio"
	"bytes"
	"io"
)

// cutKind says why a record was cut short.
type cutKind uint8

const (
	cutNone       cutKind = iota
	cutLong               // past a cap outside quotes; the rest of the line was skipped
	cutLongQuoted         // past a cap inside quotes: too long, or a quote that is never closed
	cutOpenQuote          // a quote still open at the end of the file, or "closed" by junk
)

// capKind says which cap a cut record passed.
type capKind uint8

const (
	capCell  capKind = iota // one cell passed caps.cell bytes
	capRow                  // the record passed caps.row bytes
	capCells                // the record passed caps.cells cells
)

// caps bound one record, so that a hostile file costs little memory: a record is cut once it
// passes any of them.
type caps struct {
	cell  int // bytes of one cell, quotes included
	row   int // bytes of the record
	cells int // number of cells
}

// record is one CSV record as raw text, before encoding/csv splits it into cells.
type record struct {
	line   int     // physical line the record starts on, 1-based
	raw    []byte  // the text; valid until the next call to splitter.next
	cut    cutKind // why the record was cut short, if it was
	over   capKind // which cap it passed, when cut is cutLong or cutLongQuoted
	field  int     // 0-based index of the cell being read when it was cut
	quoted int     // 0-based index of the last cell that opened a quote
}

// Quoting states, the same as encoding/csv's with LazyQuotes off.
const (
	stFieldStart = iota // at the start of a cell
	stUnquoted          // in a cell that did not start with a quote
	stQuoted            // inside quotes
	stQuoteEnd          // just after a quote inside quotes: closing or the first of ""
	stQuoteEndCR        // just after a closing quote and a CR
	stBad               // after a bare quote or junk after a closing quote: csv drops the rest of the line
)

// splitter cuts the decoded text into records. It follows encoding/csv's quoting rules so that
// both agree on where a record ends, and it counts physical lines. A record that passes one of
// its caps is cut: the rest of its line is skipped or, if the cut fell inside quotes, reading
// starts again on the line after the one the quote opened on. The same happens when such a
// quote is "closed" on a later line by a quote followed by junk. So one quote that is never
// closed costs one row, not the rest of the file.
type splitter struct {
	src    *bufio.Reader
	sep    byte
	line   int    // line number of the next byte to be read
	buf    []byte // the record being built
	replay []byte // text to read again before src, after a cut inside quotes
	rp     int    // read position in replay
	budget int64  // bytes that may still be replayed; bounds the work a hostile file can cause
}

// chunk returns the next piece of text: a whole line ending in '\n', or a piece of a longer
// line, or the last piece of the file without a '\n'.
func (s *splitter) chunk() ([]byte, error) {
	if s.rp < len(s.replay) {
		c := s.replay[s.rp:]
		if i := bytes.IndexByte(c, '\n'); i >= 0 {
			c = c[:i+1]
		}
		s.rp += len(c)
		return c, nil
	}
	s.replay, s.rp = nil, 0
	c, err := s.src.ReadSlice('\n')
	if len(c) > 0 {
		return c, nil // an error comes back again on the next call
	}
	return nil, err
}

// next returns the next record; io.EOF at the end. Blank lines come back as records holding
// just their line end.
func (s *splitter) next(lim caps) (record, error) {
	rec := record{line: s.line}
	s.buf = s.buf[:0]
	st, flen := stFieldStart, 0
	quoteLine, badQuote := 0, false // where the last quoted cell opened; stBad came from a quote
	for {
		c, err := s.chunk()
		if err == io.EOF {
			if len(s.buf) == 0 {
				return rec, io.EOF
			}
			if st == stQuoted {
				rec.cut = cutOpenQuote
				s.restartAfter(rec.line, quoteLine, nil)
			}
			if s.buf[len(s.buf)-1] != '\n' {
				s.buf = append(s.buf, '\n')
			}
			rec.raw = s.buf
			return rec, nil
		}
		if err != nil {
			return rec, err
		}
		for i, b := range c {
			if st != stQuoted && b == s.sep && st != stBad && st != stQuoteEndCR {
				st, rec.field, flen = stFieldStart, rec.field+1, 0
				if rec.field >= lim.cells {
					rec.over = capCells
					return s.cut(rec, false, quoteLine, c[:i], c[i:])
				}
				continue
			}
			switch st {
			case stFieldStart:
				switch b {
				case '"':
					st, quoteLine, rec.quoted = stQuoted, s.line, rec.field
				default:
					st = stUnquoted
				}
			case stUnquoted:
				if b == '"' { // a bare quote: csv gives up on the rest of the line
					st = stBad
				}
			case stQuoted:
				if b == '"' {
					st = stQuoteEnd
				}
			case stQuoteEnd:
				switch b {
				case '"':
					st = stQuoted
				case '\r':
					st = stQuoteEndCR
				case '\n':
				default:
					st, badQuote = stBad, true
				}
			case stQuoteEndCR:
				if b != '\n' {
					st, badQuote = stBad, true
				}
			}
			flen++
			if flen > lim.cell || len(s.buf)+i >= lim.row {
				if flen <= lim.cell {
					rec.over = capRow
				}
				return s.cut(rec, st == stQuoted || st == stQuoteEnd, quoteLine, c[:i], c[i:])
			}
		}
		s.buf = append(s.buf, c...)
		if c[len(c)-1] != '\n' {
			continue
		}
		s.line++
		if st == stQuoted {
			continue
		}
		// A quote that opened on an earlier line and then met junk was most likely never
		// meant to be closed there: go on after the line it opened on.
		if badQuote && quoteLine < s.line-1 && s.restartAfter(rec.line, quoteLine, nil) {
			rec.cut = cutOpenQuote
		}
		rec.raw = s.buf
		return rec, nil
	}
}

// cut ends a record that grew past a cap: read is the part of the current chunk that belongs
// to it, rest the part left unread.
func (s *splitter) cut(rec record, inQuote bool, quoteLine int, read, rest []byte) (record, error) {
	s.buf = append(s.buf, read...)
	if inQuote {
		rec.cut = cutLongQuoted
		if s.restartAfter(rec.line, quoteLine, rest) {
			rec.raw = s.buf
			return rec, nil
		}
	} else {
		rec.cut = cutLong
	}
	rec.raw = s.buf
	return rec, s.skipLine(rest)
}

// restartAfter arranges for reading to go on from the line after line (the record started on
// line start), replaying what was read after it and then rest, the unread part of the current
// chunk; the record keeps its lines up to line. It reports false when line is the current
// line (there is nothing to replay) or the replay budget is spent.
func (s *splitter) restartAfter(start, line int, rest []byte) bool {
	end := -1 // index of the '\n' that ends line in s.buf
	for n := line - start; n >= 0; n-- {
		i := bytes.IndexByte(s.buf[end+1:], '\n')
		if i < 0 {
			return false
		}
		end += i + 1
	}
	tail, old := s.buf[end+1:], s.replay[s.rp:]
	n := len(tail) + len(rest) + len(old)
	if int64(n) > s.budget {
		return false
	}
	s.budget -= int64(n)
	r := make([]byte, 0, n)
	r = append(append(append(r, tail...), rest...), old...)
	s.replay, s.rp = r, 0
	s.buf = s.buf[:end+1]
	s.line = line + 1
	return true
}

// skipLine drops text up to and including the next '\n', starting with rest, the unread end
// of the current chunk (chunks end at a '\n' or hold none).
func (s *splitter) skipLine(rest []byte) error {
	for {
		if len(rest) > 0 && rest[len(rest)-1] == '\n' {
			s.line++
			return nil
		}
		var err error
		rest, err = s.chunk()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
