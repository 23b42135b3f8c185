package address

import (
	"errors"
	"strings"
	"testing"
)

func TestParseAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"bob@example.com", "bob@example.com"},
		{"Bob.Smith@Example.COM", "bob.smith@example.com"},
		{"  bob@example.com \n", "bob@example.com"},
		{"o'brien+tag@mail.example.co.uk", "o'brien+tag@mail.example.co.uk"},
		{"x!#$%&'*+-/=?^_`{|}~@example.com", "x!#$%&'*+-/=?^_`{|}~@example.com"},
		{"bob@bücher.de", "bob@xn--bcher-kva.de"},
		{"bob@BÜCHER.DE", "bob@xn--bcher-kva.de"},
		{"bob@xn--bcher-kva.de", "bob@xn--bcher-kva.de"},
		{"bob@пример.рф", "bob@xn--e1afmkfd.xn--p1ai"},
		{"bob@аррӏе.com", "bob@xn--80ak6aa92e.com"}, // Cyrillic look-alike of apple.com stays distinct
		{"bob@ＥＸＡＭＰＬＥ.com", "bob@example.com"},      // full-width letters map to ASCII
		{"bob@example。com", "bob@example.com"},      // ideographic full stop is a dot
		{strings.Repeat("a", 64) + "@example.com", strings.Repeat("a", 64) + "@example.com"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 64) + "@" + strings.Repeat("e", 60) + "." + strings.Repeat("b", 60) + "." + strings.Repeat("c", 60) + "." +
		strings.Repeat("d", 60) + ".com"
	tests := []struct{ in, msg string }{
		{"", "is empty"},
		{"   \t ", "is empty"},
		{"bob.example.com", "has no @"},
		{"bob＠example.com", "full-width"},
		{"bob@evil.com＠example.com", "domain that is not a valid"},
		{"@example.com", "nothing before the @"},
		{"bob@", "nothing after the @"},
		{"a@b@example.com", "more than one @"},
		{"Bob <bob@example.com>", "display name"},
		{"<bob@example.com>", "display name"},
		{"bob@example.com (Bob)", "comment"},
		{"bob(comment)@example.com", "comment"},
		{`"bob"@example.com`, "quoted"},
		{`"bob@evil.com"@example.com`, "quoted"},
		{"a@example.com, b@example.com", "more than one address"},
		{"a@example.com;b@example.com", "more than one address"},
		{"a@example.com b@example.com", "more than one address"},
		{"bob,smith@example.com", "comma"},
		{"bob smith@example.com", "contains a space"},
		{"bob@example.com\r\nBcc: eve@evil.com", "control character"},
		{"bob@example.com\nx", "control character"},
		{"bob\x00@example.com", "control character"},
		{"bob@example.com\x00", "control character"},
		{"bob@exa\u00admple.com", "invisible"},
		{"b\u200bob@example.com", "invisible"},
		{"bob@example.com\u202e", "invisible"},
		{"bob\xff@example.com", "UTF-8"},
		{"bób@example.com", "non-ASCII"},
		{"\u212Aelvin@example.com", "non-ASCII"}, // Kelvin sign would lower-case to "k"
		{"bob\\@example.com", "not allowed before the @"},
		{"bob:x@example.com", "not allowed before the @"},
		{".bob@example.com", "starts or ends"},
		{"bob.@example.com", "starts or ends"},
		{"bo..b@example.com", "two dots"},
		{strings.Repeat("a", 65) + "@example.com", "more than 64"},
		{long, "too long"},
		{strings.Repeat("a", 5000) + "@example.com", "too long"},
		{"bob@example.com.", "ends with a dot"},
		{"bob@.example.com", "starts with a dot"},
		{"bob@example.com\u3002", "ends with a dot"}, // ideographic full stop maps to a trailing dot
		{"bob@example\uff0e\uff0ecom", "not a valid domain"},
		{"bob@example..com", "two dots"},
		{"bob@localhost", "no dot"},
		{"bob@1.2.3.4", "IP address"},
		{"bob@[1.2.3.4]", "not a valid domain"},
		{"bob@-example.com", "not a valid domain"},
		{"bob@example-.com", "not a valid domain"},
		{"bob@ex_ample.com", "not a valid domain"},
		{"bob@xn--abc.com", "not a valid domain"},
		{"bob@xn--example.com", "not a valid domain"},
		{"bob@" + strings.Repeat("a", 64) + ".com", "not a valid domain"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		var ae *Error
		if !errors.As(err, &ae) {
			t.Errorf("Parse(%q) = %q, %v; want *Error containing %q", tt.in, got, err, tt.msg)
			continue
		}
		if got != "" || ae.Code != CodeInvalidEmail || !strings.Contains(ae.Message, tt.msg) {
			t.Errorf("Parse(%q) = %q, %+v; want code %s and message containing %q", tt.in, got, ae, CodeInvalidEmail, tt.msg)
		}
	}
}

func TestErrorText(t *testing.T) {
	t.Parallel()
	_, err := Parse("bob")
	if err == nil || err.Error() != "email address has no @" {
		t.Fatalf("Parse(bob) error = %v; want \"email address has no @\"", err)
	}
	_, err = NormaliseDomain("localhost")
	if err == nil || !strings.HasPrefix(err.Error(), "domain ") {
		t.Fatalf("NormaliseDomain(localhost) error = %v; want it to start with \"domain \"", err)
	}
}
