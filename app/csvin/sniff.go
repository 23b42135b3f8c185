package csvin

import (
	"bufio"
	"bytes"
	"errors"
	"io"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// bufSize is the size of the raw and the decoded read buffers, and so of the window the
// encoding, the line ends and the separator are guessed from.
const bufSize = 64 << 10

// Encodings Reader.Encoding reports.
const (
	EncUTF8    = "UTF-8"
	EncUTF8BOM = "UTF-8 with BOM"
	EncUTF16LE = "UTF-16LE"
	EncUTF16BE = "UTF-16BE"
)

const saveAsCSV = "save it as CSV (UTF-8) and upload that"

// signatures are the first bytes of files people upload by mistake, with what to tell them.
var signatures = []struct {
	magic string
	msg   string
}{
	{"PK\x03\x04", "this looks like an Excel .xlsx file; " + saveAsCSV},
	{"PK\x05\x06", "this looks like an Excel .xlsx file; " + saveAsCSV},
	{"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "this looks like an old Excel .xls file; " + saveAsCSV},
	{"\x89PNG\r\n\x1a\n", "this is a PNG image, not a CSV file"},
	{"\xFF\xD8\xFF", "this is a JPEG image, not a CSV file"},
	{"GIF8", "this is a GIF image, not a CSV file"},
	{"%PDF-", "this is a PDF document, not a CSV file"},
}

// openText sniffs the start of raw and returns the file as a UTF-8 stream with '\n' line ends
// available (CR-only files get their CRs turned into LFs), plus the encoding's name.
func openText(raw io.Reader) (*bufio.Reader, string, error) {
	rb := bufio.NewReaderSize(raw, bufSize)
	head, err := rb.Peek(bufSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull && !errors.Is(err, errTooBig) {
		return nil, "", err
	}
	if len(head) == 0 {
		return nil, "", formatErr(CodeEmpty, "the file is empty")
	}
	for _, s := range signatures {
		if bytes.HasPrefix(head, []byte(s.magic)) {
			if s.magic[0] == 'P' && bytes.Contains(head, []byte("opendocument.spreadsheet")) {
				return nil, "", formatErr(CodeNotText, "this looks like an OpenDocument spreadsheet (.ods); "+saveAsCSV)
			}
			return nil, "", formatErr(CodeNotText, "%s", s.msg)
		}
	}

	var text io.Reader = rb
	enc := EncUTF8
	order := notUTF16
	switch {
	case bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")):
		enc = EncUTF8BOM
		_, _ = rb.Discard(3) // already peeked: cannot fail
		head = head[3:]
	case bytes.HasPrefix(head, []byte("\xFF\xFE")):
		order = utf16LE
		_, _ = rb.Discard(2)
		head = head[2:]
	case bytes.HasPrefix(head, []byte("\xFE\xFF")):
		order = utf16BE
		_, _ = rb.Discard(2)
		head = head[2:]
	default:
		order = utf16ByNULs(head)
	}
	if order != notUTF16 {
		endian := unicode.LittleEndian
		enc = EncUTF16LE
		if order == utf16BE {
			enc, endian = EncUTF16BE, unicode.BigEndian
		}
		text = transform.NewReader(rb, unicode.UTF16(endian, unicode.IgnoreBOM).NewDecoder())
	}
	// A file with CRs but no LF in the first 64 KiB is an old Mac export: every CR ends a line.
	// (The test on raw bytes holds for UTF-16 too: CR and LF are 0x0D and 0x0A there as well.)
	if bytes.IndexByte(head, '\n') < 0 && bytes.IndexByte(head, '\r') >= 0 {
		text = crToLF{text}
	}
	tb := bufio.NewReaderSize(text, bufSize)
	dec, err := tb.Peek(4096)
	if err != nil && err != io.EOF && !errors.Is(err, errTooBig) {
		return nil, "", err
	}
	if !looksLikeText(dec) {
		return nil, "", formatErr(CodeNotText,
			"this file is not text; upload a CSV file (in a spreadsheet: File › Save As or Download › CSV UTF-8)")
	}
	return tb, enc, nil
}

type utf16Order uint8

const (
	notUTF16 utf16Order = iota
	utf16LE
	utf16BE
)

// utf16ByNULs recognises UTF-16 without a BOM: mostly-ASCII text has a NUL as the high byte of
// nearly every code unit, on the odd bytes for little endian and on the even ones for big.
func utf16ByNULs(head []byte) utf16Order {
	if len(head) > 512 {
		head = head[:512]
	}
	pairs := len(head) / 2
	if pairs < 2 {
		return notUTF16
	}
	var even, odd int
	for i := 0; i+1 < len(head); i += 2 {
		if head[i] == 0 {
			even++
		}
		if head[i+1] == 0 {
			odd++
		}
	}
	switch {
	case odd*2 >= pairs && even*10 <= pairs:
		return utf16LE
	case even*2 >= pairs && odd*10 <= pairs:
		return utf16BE
	}
	return notUTF16
}

// looksLikeText is false for data with a NUL, or with more than one control character in a
// hundred (tab, CR, LF and form feed do not count).
func looksLikeText(b []byte) bool {
	ctl := 0
	for _, c := range b {
		switch {
		case c == 0:
			return false
		case c == '\t' || c == '\n' || c == '\r' || c == '\f':
		case c < 0x20 || c == 0x7f:
			ctl++
		}
	}
	return ctl*100 <= len(b)
}

// crToLF turns every CR into an LF, for files whose lines end with a CR alone.
type crToLF struct{ r io.Reader }

func (c crToLF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}
