package e2e

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Screenshots are taken at these widths; the phone one emulates a mobile device.
const (
	desktopWidth, desktopHeight = 1280, 800
	phoneWidth, phoneHeight     = 390, 844
	screenshotDir               = "../../docs/screenshots"
	stepTimeout                 = 20 * time.Second
)

// newBrowser starts a headless chromium with a fresh profile for this test and returns its
// chromedp context; the browser stops when the test ends. Call it after startLobby: the
// browser must close before Lobby shuts down, or its open connections hold the shutdown up.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	exe := chromium(t)
	// Not t.TempDir: chromium's helper processes may still write into the profile for a moment
	// after the browser is gone, which made TempDir's own removal fail the test now and then.
	profile, err := os.MkdirTemp("", "lobby-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	var browser *exec.Cmd
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.Headless,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(profile),
		// Chromium keeps its singleton socket in a directory under TMPDIR and removes it only
		// on a clean exit; the browser is killed at the test's end, so point TMPDIR into the
		// profile, which the cleanup removes, or every test leaves a directory in /tmp.
		chromedp.Env("TMPDIR=" + profile),
		chromedp.WindowSize(desktopWidth, desktopHeight),
		// A process group of its own, so that the cleanup can end chromium's helper processes
		// too: left alone, one of them now and then wrote into the profile after it was removed.
		chromedp.ModifyCmdFunc(func(cmd *exec.Cmd) {
			if cmd.SysProcAttr == nil {
				cmd.SysProcAttr = &syscall.SysProcAttr{}
			}
			cmd.SysProcAttr.Setpgid = true
			browser = cmd
		}),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
		if browser != nil && browser.Process != nil {
			endGroup(browser.Process.Pid)
		}
		for range 40 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Logf("the chromium profile %s could not be removed", profile)
	})
	// The first Run starts the browser; it must run on the test-long context, not a step's.
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("chromium (%s) did not start: %v", exe, err)
	}
	return ctx
}

// endGroup kills every process of the process group pgid, and gives them a moment to stop:
// dead, they write nothing more, though the system may take a second or two to reap them.
func endGroup(pgid int) {
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	time.Sleep(100 * time.Millisecond)
}

// chromium returns the path of Debian's chromium. Without it the test fails and says how to
// get it, unless LOBBY_SKIP_BROWSER=1 asks to skip. Browser tests call it first, so that
// nothing is set up for a test that cannot run.
func chromium(t *testing.T) string {
	t.Helper()
	if os.Getenv("LOBBY_SKIP_BROWSER") == "1" {
		t.Skip("LOBBY_SKIP_BROWSER=1 is set, so the browser tests do not run")
	}
	exe, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("the browser tests need Debian's chromium on PATH and it is missing (%v); `make test` installs it "+
			"(apt-get install -y chromium), or set LOBBY_SKIP_BROWSER=1 to skip these tests", err)
	}
	return exe
}

// run performs browser actions, failing the test with what was being done when one fails or
// takes longer than stepTimeout.
func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Run(sctx, actions...); err != nil {
		// Say where the browser ended up and what the page says: usually an error page.
		var loc, h1 string
		qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		_ = chromedp.Run(qctx, chromedp.Location(&loc),
			chromedp.Evaluate(`(document.querySelector("h1") || {}).innerText || ""`, &h1))
		t.Fatalf("%s: %v (the browser is at %s, whose heading reads %q)", what, err, loc, h1)
	}
}

// wholePage captures the whole page as a PNG by making the viewport as tall as the page:
// FullScreenshot leaves sandboxed iframes (the mail preview) blank.
func wholePage(w, h int64, png *[]byte, opts ...chromedp.EmulateViewportOption) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var full int64
		if err := chromedp.Run(ctx, chromedp.EmulateViewport(w, h, opts...),
			chromedp.Evaluate(`Math.ceil(document.documentElement.scrollHeight)`, &full)); err != nil {
			return err
		}
		if full > h {
			h = full
		}
		return chromedp.Run(ctx, chromedp.EmulateViewport(w, h, opts...), chromedp.CaptureScreenshot(png))
	})
}

// text returns the visible text of the first element matching the CSS selector.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	var s string
	run(t, ctx, "read "+sel, chromedp.WaitVisible(sel, chromedp.ByQuery), chromedp.Text(sel, &s, chromedp.ByQuery))
	return strings.Join(strings.Fields(s), " ")
}

// countNodes counts the elements matching a CSS selector on the current page.
func countNodes(t *testing.T, ctx context.Context, sel string) int {
	t.Helper()
	q, _ := json.Marshal(sel)
	var n int
	run(t, ctx, "count "+sel, chromedp.Evaluate("document.querySelectorAll("+string(q)+").length", &n))
	return n
}

// location returns the page's current URL.
func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	var loc string
	run(t, ctx, "read the location", chromedp.Location(&loc))
	return loc
}

// wantText fails the test unless the element's text contains every one of want.
func wantText(t *testing.T, ctx context.Context, sel string, want ...string) {
	t.Helper()
	got := text(t, ctx, sel)
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s at %s reads %q, which lacks %q", sel, location(t, ctx), got, w)
		}
	}
}

// screenshot saves full-page PNGs of the current page as docs/screenshots/<name>.png at
// desktop width and <name>-phone.png at phone width, when LOBBY_SCREENSHOTS=1 (CI leaves the
// tree alone). The page is left at desktop width.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if os.Getenv("LOBBY_SCREENSHOTS") != "1" {
		return
	}
	var desk, phone []byte
	run(t, ctx, "take the screenshots "+name,
		wholePage(desktopWidth, desktopHeight, &desk),
		wholePage(phoneWidth, phoneHeight, &phone, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.EmulateReset(),
		chromedp.EmulateViewport(desktopWidth, desktopHeight),
	)
	for file, b := range map[string][]byte{name + ".png": desk, name + "-phone.png": phone} {
		if err := os.WriteFile(filepath.Join(screenshotDir, file), b, 0o644); err != nil {
			t.Fatalf("save the screenshot: %v", err)
		}
	}
}
