// Package csvin reads the spreadsheet files admins upload for bulk invitations and writes the
// CSV files Lobby exports.
//
// NewReader streams one upload: it sniffs the encoding (UTF-8 with or without a BOM, UTF-16 LE
// or BE with a BOM, or UTF-16 without one, recognised by its NUL bytes), turns away files that
// are not text (an .xlsx, an old .xls, an image, a PDF) with a message that says what to do,
// detects the separator (comma, semicolon or tab) from the header line, and maps the header's
// column names (any case, any order, a few aliases) onto the fields Lobby knows. Next then
// returns one Row at a time. A malformed row comes back with its Problem set and its physical
// line number; it never stops the rows after it. Only a file-level fault (not text, empty, no
// usable header) or going over the Limits ends the reading.
//
// The file is never held whole: the reader keeps one row at a time plus two 64 KiB buffers,
// and a row is cut (and reported) once one of its cells passes four bytes per allowed
// character, so even a 20 MB single cell costs a few kilobytes.
//
// Records are delimited by a small state machine that follows encoding/csv's quoting rules,
// and each record is then parsed by encoding/csv. Doing the delimiting here is what lets a
// quote that is never closed cost one row instead of the rest of the file: encoding/csv alone
// would read to the end of the file looking for the closing quote.
//
// Cells are data: nothing is evaluated or altered on the way in (a name "=HYPERLINK(…)" stays
// that text). Neutralise and Writer make exported cells safe for spreadsheets instead.
//
// This package must not touch the database, the network or the mailer, and it does not
// validate addresses, roles or teams: that is the job of app/address and app/org.
package csvin
