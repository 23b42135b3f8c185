package web

import "testing"

func TestCountPutsCommasBetweenThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 1234: "1,234", 100000: "100,000",
		1234567: "1,234,567", -1234: "-1,234"} {
		if got := count(n); got != want {
			t.Errorf("count(%d) = %q, want %q", n, got, want)
		}
	}
	if got := count(1234); got != "1,234" {
		t.Errorf("count(int 1234) = %q", got)
	}
}
