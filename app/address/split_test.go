package address

import (
	"errors"
	"strings"
	"testing"
)

func TestSplitList(t *testing.T) {
	t.Parallel()
	text := "Bob <Bob@Example.com>, \"Smith, Ann\" <ANN@example.org>;carl@example.net\tdora@example.net\r\n" +
		"\n  \n,,;\t\n" +
		"\"Q \\\"Boss\\\" <q@evil.com>\" <eve@example.com>\n" +
		"not-an-address\n" +
		"Mallory <m@example.com> <n@example.com>\n" +
		"<plain@example.com>\n" +
		"\"Doe, Jane\"\t\"jane@example.com\"@evil.com\n" +
		"Zed\x00 Zimmer <zed@bücher.de>\n" +
		"two@example.com three@example.com"
	type want struct{ raw, name, email, err string }
	wants := []want{
		{"Bob <Bob@Example.com>", "Bob", "bob@example.com", ""},
		{`"Smith, Ann" <ANN@example.org>`, "Smith, Ann", "ann@example.org", ""},
		{"carl@example.net", "", "carl@example.net", ""},
		{"dora@example.net", "", "dora@example.net", ""},
		{`"Q \"Boss\" <q@evil.com>" <eve@example.com>`, `Q "Boss" <q@evil.com>`, "eve@example.com", ""},
		{"not-an-address", "", "", "has no @"},
		{"Mallory <m@example.com> <n@example.com>", "", "", "not in the form"},
		{"<plain@example.com>", "", "plain@example.com", ""},
		{`"Doe, Jane"`, "", "", "has no @"},
		{`"jane@example.com"@evil.com`, "", "", "quoted"},
		{"Zed\x00 Zimmer <zed@bücher.de>", "Zed Zimmer", "zed@xn--bcher-kva.de", ""},
		{"two@example.com three@example.com", "", "", "more than one address"},
	}
	got := SplitList(text)
	if len(got) != len(wants) {
		for _, c := range got {
			t.Logf("%+v", c)
		}
		t.Fatalf("SplitList returned %d candidates; want %d", len(got), len(wants))
	}
	for i, w := range wants {
		c := got[i]
		if c.Raw != w.raw || c.Name != w.name || c.Email != w.email {
			t.Errorf("candidate %d = %+v; want raw %q name %q email %q", i, c, w.raw, w.name, w.email)
		}
		var ae *Error
		switch {
		case w.err == "" && c.Err != nil:
			t.Errorf("candidate %d (%q) error = %v; want none", i, c.Raw, c.Err)
		case w.err != "" && (!errors.As(c.Err, &ae) || !strings.Contains(ae.Message, w.err)):
			t.Errorf("candidate %d (%q) error = %v; want *Error containing %q", i, c.Raw, c.Err, w.err)
		}
	}
}

func TestSplitListBlank(t *testing.T) {
	t.Parallel()
	if got := SplitList(" \n\r\n\t,;  ,\n"); len(got) != 0 {
		t.Fatalf("SplitList(blank) = %+v; want nothing", got)
	}
}

func TestSplitListLongName(t *testing.T) {
	t.Parallel()
	got := SplitList(strings.Repeat("n", 201) + " <a@example.com>")
	if len(got) != 1 || got[0].Err == nil || got[0].Email != "" {
		t.Fatalf("SplitList(long name) = %+v; want one refused candidate", got)
	}
}
