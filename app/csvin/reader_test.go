package csvin

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// want is a Row as a test expects it; Problem is a substring of the row's problem, "" for none.
type want struct {
	Line                  int
	Email, Name, Role     string
	Teams, Resources      []string
	Problem               string
	checkName, checkTeams bool // compare Name / Teams even when empty
}

func TestReaderRealWorldFiles(t *testing.T) {
	t.Parallel()
	mega := strings.Repeat("x", 1<<20)
	long := strings.Repeat("é", 5000)
	cases := []struct {
		name    string
		in      []byte
		enc     string
		sep     rune
		ignored []string
		rows    []want
	}{
		{name: "utf-8, LF", in: []byte("email,name\na@x.com,Ann\nb@x.com,Bob\n"), enc: EncUTF8, sep: ',',
			rows: []want{{Line: 2, Email: "a@x.com", Name: "Ann"}, {Line: 3, Email: "b@x.com", Name: "Bob"}}},
		{name: "utf-8 with BOM and CRLF, as Excel saves CSV UTF-8",
			in:  []byte("\uFEFF" + crlf("email,name,role,team,resources", "ann@x.com,Änne Müller,admin,Eng,Docs")),
			enc: EncUTF8BOM, sep: ',',
			rows: []want{{Line: 2, Email: "ann@x.com", Name: "Änne Müller", Role: "admin", Teams: []string{"Eng"}, Resources: []string{"Docs"}}}},
		{name: "utf-16LE with BOM, tab separated, as Excel saves Unicode Text",
			in:  utf16File(crlf("email\tname\tteam", "zoe@x.com\tZoë 😀\tEng|Ops", "li@x.com\t李雷\t"), false, true),
			enc: EncUTF16LE, sep: '\t',
			rows: []want{{Line: 2, Email: "zoe@x.com", Name: "Zoë 😀", Teams: []string{"Eng", "Ops"}}, {Line: 3, Email: "li@x.com", Name: "李雷"}}},
		{name: "utf-16BE with BOM", in: utf16File(crlf("email,name", "a@x.com,Ånn"), true, true), enc: EncUTF16BE, sep: ',',
			rows: []want{{Line: 2, Email: "a@x.com", Name: "Ånn"}}},
		{name: "utf-16LE without BOM", in: utf16File("email;name\na@x.com;Ann\n", false, false), enc: EncUTF16LE, sep: ';',
			rows: []want{{Line: 2, Email: "a@x.com", Name: "Ann"}}},
		{name: "utf-16BE without BOM", in: utf16File("email\na@x.com\n", true, false), enc: EncUTF16BE, sep: ',',
			rows: []want{{Line: 2, Email: "a@x.com"}}},
		{name: "semicolons, with decimal commas in another column",
			in:  []byte(crlf("email;name;score;team", "a@x.com;Ann;3,5;Eng, Ops", "b@x.com;Bob;4,25;")),
			enc: EncUTF8, sep: ';', ignored: []string{"score"},
			rows: []want{{Line: 2, Email: "a@x.com", Name: "Ann", Teams: []string{"Eng", "Ops"}}, {Line: 3, Email: "b@x.com", Name: "Bob"}}},
		{name: "tab separated, commas in cells", in: []byte("email\tname\tteam\na@x.com\tAnn, Jr.\tEng;Ops\n"), enc: EncUTF8, sep: '\t',
			rows: []want{{Line: 2, Email: "a@x.com", Name: "Ann, Jr.", Teams: []string{"Eng", "Ops"}}}},
		{name: "quoted newlines in names keep line numbers right",
			in:  []byte(crlf("email,name", `a@x.com,"Ann`, `Marie"`, "b@x.com,Bob", `c@x.com,"C`, ``, `D"`, "d@x.com,Dee")),
			enc: EncUTF8, sep: ',',
			rows: []want{{Line: 2, Email: "a@x.com", Name: "Ann\nMarie"}, {Line: 4, Email: "b@x.com", Name: "Bob"},
				{Line: 5, Email: "c@x.com", Name: "C\n\nD"}, {Line: 8, Email: "d@x.com", Name: "Dee"}}},
		{name: "header in another order and case, with aliases",
			in:  []byte(crlf(" Groups ,FULL NAME,E-Mail,Role,resource", "Eng|Ops,Ann,a@x.com,Admin,Docs; Wiki")),
			enc: EncUTF8, sep: ',',
			rows: []want{{Line: 2, Email: "a@x.com", Name: "Ann", Role: "Admin", Teams: []string{"Eng", "Ops"}, Resources: []string{"Docs", "Wiki"}}}},
		{name: "more aliases", in: []byte("Email_Address,Display Name,teams\na@x.com,Ann,Eng\n"), enc: EncUTF8, sep: ',',
			rows: []want{{Line: 2, Email: "a@x.com", Name: "Ann", Teams: []string{"Eng"}}}},
		{name: "extra columns are reported and ignored", in: []byte("email,Phone,name,Notes,,\na@x.com,+44 1,Ann,likes tea,,\n"),
			enc: EncUTF8, sep: ',', ignored: []string{"Phone", "Notes"},
			rows: []want{{Line: 2, Email: "a@x.com", Name: "Ann"}}},
		{name: "blank lines and empty rows are skipped",
			in:  []byte("\n\nemail,name,team\n\na@x.com,Ann,\n,,\n  ,  , \n\nb@x.com,Bob,\n\n"),
			enc: EncUTF8, sep: ',',
			rows: []want{{Line: 5, Email: "a@x.com", Name: "Ann"}, {Line: 9, Email: "b@x.com", Name: "Bob"}}},
		{name: "formulas are data on the way in",
			in:  []byte(crlf("email,name", `a@x.com,"=HYPERLINK(""http://evil.example/"",""click"")"`, "b@x.com,@SUM(A1)", "c@x.com,+1-2")),
			enc: EncUTF8, sep: ',',
			rows: []want{{Line: 2, Email: "a@x.com", Name: `=HYPERLINK("http://evil.example/","click")`},
				{Line: 3, Email: "b@x.com", Name: "@SUM(A1)"}, {Line: 4, Email: "c@x.com", Name: "+1-2"}}},
		{name: "team lists are split, trimmed and deduplicated", in: []byte("email,team\na@x.com,\"Eng, Ops|Ops;  ;Sales\"\nb@x.com, ; |\n"),
			enc: EncUTF8, sep: ',',
			rows: []want{{Line: 2, Email: "a@x.com", Teams: []string{"Eng", "Ops", "Sales"}}, {Line: 3, Email: "b@x.com", checkTeams: true}}},
		{name: "CR line ends (old Mac)", in: []byte("email,name\ra@x.com,Ann\rb@x.com,Bob\r"), enc: EncUTF8, sep: ',',
			rows: []want{{Line: 2, Email: "a@x.com", Name: "Ann"}, {Line: 3, Email: "b@x.com", Name: "Bob"}}},
		{name: "Excel sep= first line", in: []byte("sep=;\r\nemail;name\r\na@x.com;Ann, B\r\n"), enc: EncUTF8, sep: ';',
			rows: []want{{Line: 3, Email: "a@x.com", Name: "Ann, B"}}},
		{name: "header only", in: []byte("email,name,role\r\n"), enc: EncUTF8, sep: ','},
		{name: "header only without a line end", in: []byte("email"), enc: EncUTF8, sep: ','},
		{name: "no line end after the last row", in: []byte("email,name\na@x.com,Ann"), enc: EncUTF8, sep: ',',
			rows: []want{{Line: 2, Email: "a@x.com", Name: "Ann"}}},
		{name: "wrong number of cells",
			in:  []byte(crlf("email,name,role", "a@x.com,Ann", "b@x.com,Bob,member,extra", "c@x.com,Cy,member,,", "d@x.com,Dee,member", "e@x.com")),
			enc: EncUTF8, sep: ',',
			rows: []want{{Line: 2, Email: "a@x.com", Name: "Ann", Problem: "the row has 2 cells but the header has 3 columns"},
				{Line: 3, Email: "b@x.com", Name: "Bob", Role: "member", Problem: "the row has 4 cells but the header has 3 columns"},
				{Line: 4, Email: "c@x.com", Name: "Cy", Role: "member"}, {Line: 5, Email: "d@x.com", Name: "Dee", Role: "member"},
				{Line: 6, Email: "e@x.com", Problem: "the row has 1 cell but the header has 3 columns"}}},
		{name: "a bare quote spoils one row",
			in:  []byte(crlf("email,name", `a@x.com,Ann "Annie" Lee`, "b@x.com,Bob")),
			enc: EncUTF8, sep: ',',
			rows: []want{{Line: 2, Email: "a@x.com", Problem: `the "name" cell has a quote (") inside but does not start with one`},
				{Line: 3, Email: "b@x.com", Name: "Bob"}}},
		{name: "text after a closing quote spoils one row",
			in:  []byte(crlf("email,name", `a@x.com,"Ann" Lee`, "b@x.com,Bob")),
			enc: EncUTF8, sep: ',',
			rows: []want{{Line: 2, Email: "a@x.com", Problem: `the "name" cell has text after its closing quote`},
				{Line: 3, Email: "b@x.com", Name: "Bob"}}},
		{name: "a quote never closed costs one row, not the rest of the file",
			in:  []byte(crlf("email,name,role", `a@x.com,"Ann,member`, "b@x.com,Bob,member", "c@x.com,Cy,member")),
			enc: EncUTF8, sep: ',',
			rows: []want{{Line: 2, Email: "a@x.com", Problem: `the "name" cell opens a quote (") that is not closed properly`},
				{Line: 3, Email: "b@x.com", Name: "Bob", Role: "member"}, {Line: 4, Email: "c@x.com", Name: "Cy", Role: "member"}}},
		{name: "a quote never closed, then a later quote",
			in:  []byte(crlf("email,name", `a@x.com,"Ann`, "b@x.com,Bob", `c@x.com,C"y`, "d@x.com,Dee")),
			enc: EncUTF8, sep: ',',
			rows: []want{{Line: 2, Email: "a@x.com", Problem: "not closed properly"}, {Line: 3, Email: "b@x.com", Name: "Bob"},
				{Line: 4, Email: "c@x.com", Problem: "does not start with one"}, {Line: 5, Email: "d@x.com", Name: "Dee"}}},
		{name: "Windows-1252 text is flagged and replaced",
			in:  []byte("email,name\na@x.com,Zo\xeb\nb@x.com,Bob\n"),
			enc: EncUTF8, sep: ',',
			rows: []want{{Line: 2, Email: "a@x.com", Name: "Zo\uFFFD", Problem: "not valid UTF-8"}, {Line: 3, Email: "b@x.com", Name: "Bob"}}},
		{name: "a 1 MB cell is a row problem",
			in:  []byte("email,name,role\na@x.com," + mega + ",member\nb@x.com,Bob,member\n"),
			enc: EncUTF8, sep: ',',
			rows: []want{{Line: 2, Email: "a@x.com", Problem: `the "name" cell is longer than 4,096 characters`},
				{Line: 3, Email: "b@x.com", Name: "Bob", Role: "member"}}},
		{name: "a 1 MB quoted cell is a row problem",
			in:  []byte("email,name,role\na@x.com,\"" + mega + "\",member\nb@x.com,Bob,member\n"),
			enc: EncUTF8, sep: ',',
			rows: []want{{Line: 2, Email: "a@x.com", Problem: `the "name" cell is longer than 4,096 characters`},
				{Line: 3, Email: "b@x.com", Name: "Bob", Role: "member"}}},
		{name: "a 5,000-character name is flagged and cut to 4,096",
			in:  []byte("email,name\na@x.com," + long + "\n"),
			enc: EncUTF8, sep: ',',
			rows: []want{{Line: 2, Email: "a@x.com", Name: strings.Repeat("é", 4096), Problem: `the "name" cell is longer than 4,096 characters`}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, oneByte := range []bool{false, true} {
				var in = iotestReader(tc.in, oneByte)
				res := readAll(t, in, Limits{})
				if res.err != nil {
					t.Fatalf("one byte at a time %v: unexpected error %v", oneByte, res.err)
				}
				if res.enc != tc.enc || res.sep != tc.sep {
					t.Errorf("encoding, separator = %q, %q; want %q, %q", res.enc, res.sep, tc.enc, tc.sep)
				}
				if !reflect.DeepEqual(res.ignored, tc.ignored) {
					t.Errorf("Ignored() = %q; want %q", res.ignored, tc.ignored)
				}
				if res.strays != 0 {
					t.Errorf("encoding/csv and the splitter disagreed on %d records", res.strays)
				}
				checkRows(t, res.rows, tc.rows)
			}
		})
	}
}

func iotestReader(b []byte, oneByte bool) *readerOf {
	if oneByte {
		return &readerOf{iotest.OneByteReader(bytes.NewReader(b))}
	}
	return &readerOf{bytes.NewReader(b)}
}

// readerOf hides the concrete type, so nothing can take a shortcut through it.
type readerOf struct {
	r interface{ Read([]byte) (int, error) }
}

func (r *readerOf) Read(p []byte) (int, error) { return r.r.Read(p) }

func checkRows(t *testing.T, got []Row, want []want) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d rows, want %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		g, w := got[i], want[i]
		switch {
		case g.Line != w.Line, g.Email != w.Email, g.Role != w.Role,
			(w.Name != "" || w.checkName || w.Problem == "") && g.Name != w.Name,
			(len(w.Teams) > 0 || w.checkTeams || w.Problem == "") && !reflect.DeepEqual(g.Teams, w.Teams),
			!reflect.DeepEqual(g.Resources, w.Resources),
			w.Problem == "" && g.Problem != "",
			!strings.Contains(g.Problem, w.Problem):
			t.Errorf("row %d = %+v (name %d chars)\nwant %+v", i, shorten(g), utf8.RuneCountInString(g.Name), w)
		}
	}
}

func shorten(r Row) Row {
	if len(r.Name) > 80 {
		r.Name = r.Name[:80] + "…"
	}
	return r
}
