package address

import (
	"errors"
	"testing"
)

func TestDomain(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"bob@example.com": "example.com", "nobody": "", "a@b@c.d": "c.d"} {
		if got := Domain(in); got != want {
			t.Errorf("Domain(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestDomainAllowed(t *testing.T) {
	t.Parallel()
	list := []string{"Example.COM", "bücher.de", "not a domain", "com"}
	tests := []struct {
		email string
		sub   bool
		want  bool
	}{
		{"bob@example.com", false, true},
		{"bob@example.com", true, true},
		{"bob@evil-example.com", true, false},
		{"bob@example.com.evil.com", true, false},
		{"bob@notexample.com", true, false},
		{"bob@sub.example.com", false, false},
		{"bob@sub.example.com", true, true},
		{"bob@a.b.example.com", true, true},
		{"bob@xn--bcher-kva.de", false, true},
		{"bob@mail.xn--bcher-kva.de", true, true},
		{"bob@evil.com", true, false},     // "com" is refused as an entry, so it allows nothing
		{"bob@EXAMPLE.COM", false, false}, // not normalised: fails closed
		{"bob@example.com@evil.com", true, false},
		{"example.com", true, false},
		{"", true, false},
	}
	for _, tt := range tests {
		if got := DomainAllowed(tt.email, list, tt.sub); got != tt.want {
			t.Errorf("DomainAllowed(%q, subdomains=%v) = %v; want %v", tt.email, tt.sub, got, tt.want)
		}
	}
	if DomainAllowed("bob@example.com", nil, true) {
		t.Error("DomainAllowed with no domains = true; want false")
	}
}

func TestNormaliseDomain(t *testing.T) {
	t.Parallel()
	good := map[string]string{
		" Example.COM ":    "example.com",
		"BÜCHER.de":        "xn--bcher-kva.de",
		"xn--bcher-kva.de": "xn--bcher-kva.de",
		"mail.example.io":  "mail.example.io",
	}
	for in, want := range good {
		if got, err := NormaliseDomain(in); err != nil || got != want {
			t.Errorf("NormaliseDomain(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := []string{"", "com", "example.com.", ".example.com", "@example.com", "bob@example.com",
		"https://example.com", "example.com/x", "*.example.com", "exa mple.com", "example.com,evil.com",
		"example.com\nevil.com", "example.com\x00x", "10.0.0.1", "ex_ample.com", "-x.com", "<example.com>"}
	for _, in := range bad {
		got, err := NormaliseDomain(in)
		var ae *Error
		if !errors.As(err, &ae) || ae.Code != CodeInvalidDomain || got != "" {
			t.Errorf("NormaliseDomain(%q) = %q, %v; want *Error with code %s", in, got, err, CodeInvalidDomain)
		}
	}
}
