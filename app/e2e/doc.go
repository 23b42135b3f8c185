// Package e2e holds Lobby's browser tests: a real Lobby served in-process, a real SMTP server
// collecting its mail, and Debian's chromium driven through chromedp. It has no code of its own
// beyond the tests and their helpers, which the console tests reuse (startLobby, newBrowser,
// screenshot, waitMail). Set LOBBY_SCREENSHOTS=1 to write PNGs into docs/screenshots/, and
// LOBBY_SKIP_BROWSER=1 to skip these tests where chromium cannot run.
package e2e
