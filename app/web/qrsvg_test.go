package web

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestQRSVGDrawsFinderPatterns(t *testing.T) {
	svg, err := qrSVG("https://lobby.example/join/abcdefghijklmnop")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`^<svg [^>]*viewBox="0 0 (\d+) (\d+)"`).FindStringSubmatch(svg)
	if m == nil || m[1] != m[2] {
		t.Fatalf("unexpected SVG head: %.120s", svg)
	}
	n, _ := strconv.Atoi(m[1])
	last := n - 4 - 1 // the last module inside the 4-module quiet zone
	// The three finder patterns: the module at each of three outer corners is dark, the fourth is light.
	for _, corner := range []string{"M4 4h1", fmt.Sprintf("M%d 4h1", last), fmt.Sprintf("M4 %dh1", last)} {
		if !strings.Contains(svg, corner) {
			t.Errorf("missing the finder corner %q", corner)
		}
	}
	// Inside each finder pattern the ring next to the corner is light.
	for _, ring := range []string{"M5 5h1", fmt.Sprintf("M%d 5h1", last-1), fmt.Sprintf("M5 %dh1", last-1)} {
		if strings.Contains(svg, ring) {
			t.Errorf("the finder ring module %q is dark", ring)
		}
	}
	if n := len(regexp.MustCompile(`M\d+ \d+h1`).FindAllString(svg, -1)); n < 300 {
		t.Fatalf("only %d dark modules", n)
	}
}
