package config

import (
	"fmt"
	"strings"
	"time"
)

// Duration is a time.Duration written in TOML and the environment as a Go duration string,
// such as "168h" or "15m".
type Duration struct{ time.Duration }

// D wraps a time.Duration.
func D(d time.Duration) Duration { return Duration{d} }

// UnmarshalText parses a Go duration string such as "15m" or "1h30m".
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(strings.TrimSpace(string(b)))
	if err != nil {
		return fmt.Errorf("%q is not a duration (write it like \"90s\", \"15m\" or \"168h\")", string(b))
	}
	d.Duration = v
	return nil
}

// MarshalText writes the duration in its shortest form: "168h" rather than "168h0m0s".
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// String is the duration in its shortest form: "168h", "15m", "1h30m", "1.5s".
func (d Duration) String() string {
	s := d.Duration.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
