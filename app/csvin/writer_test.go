package csvin

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestNeutralise(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"=HYPERLINK(\"http://evil.example\")": "'=HYPERLINK(\"http://evil.example\")",
		"+1+2":                                "'+1+2",
		"-2+3":                                "'-2+3",
		"@SUM(A1)":                            "'@SUM(A1)",
		"\t=1":                                "'\t=1",
		"\r=1":                                "'\r=1",
		"\x00=1":                              "'\x00=1",
		"":                                    "",
		"Ann":                                 "Ann",
		" =1":                                 " =1",
		"a=b":                                 "a=b",
		"'=1":                                 "'=1",
		"ann@example.com":                     "ann@example.com",
	} {
		if got := Neutralise(in); got != want {
			t.Errorf("Neutralise(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestWriterNeutralisesWithBOMAndCRLF(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	w := NewWriter(&b)
	if err := w.Write([]string{"email", "name", "note"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Write([]string{"a@x.com", "=cmd|' /C calc'!A0", "two\nlines, \"quoted\""}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "\uFEFFemail,name,note\r\na@x.com,'=cmd|' /C calc'!A0,\"two\r\nlines, \"\"quoted\"\"\"\r\n"
	if b.String() != want {
		t.Errorf("wrote %q\nwant  %q", b.String(), want)
	}
	// What the writer wrote reads back as the same text, quote included.
	res := readAll(t, &b, Limits{})
	if res.err != nil || len(res.rows) != 1 || res.rows[0].Name != "'=cmd|' /C calc'!A0" {
		t.Errorf("read back %+v, %v", res.rows, res.err)
	}
}

func TestWriterReportsWriteErrors(t *testing.T) {
	t.Parallel()
	boom := errors.New("disk full")
	w := NewWriter(failingWriter{boom})
	_ = w.Write([]string{"a"})
	if err := w.Flush(); !errors.Is(err, boom) {
		t.Errorf("Flush = %v; want %v", err, boom)
	}
}

type failingWriter struct{ err error }

func (f failingWriter) Write([]byte) (int, error) { return 0, f.err }

func TestTemplateReadsBack(t *testing.T) {
	t.Parallel()
	tpl := Template()
	if !bytes.HasPrefix(tpl, []byte("\uFEFFemail,name,role,team,resources\r\n")) {
		t.Errorf("template starts %q", tpl[:min(len(tpl), 40)])
	}
	res := readAll(t, bytes.NewReader(tpl), Limits{})
	if res.err != nil || len(res.rows) != 1 || len(res.ignored) != 0 {
		t.Fatalf("template reads as %+v, ignored %q, error %v", res.rows, res.ignored, res.err)
	}
	got, want := res.rows[0], Row{Line: 2, Email: "ada@example.com", Name: "Ada Lovelace", Role: "member",
		Teams: []string{"Engineering", "Research"}, Resources: []string{"Onboarding course"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("template row = %+v; want %+v", got, want)
	}
	if strings.Count(string(tpl), "\r\n") != 2 {
		t.Errorf("template %q: want two CRLF lines", tpl)
	}
}
