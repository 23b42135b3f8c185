// Lobby lets people into an organization: invitations, a governed join link, SSO and SCIM in
// one binary on one libSQL database.
package main

import (
	"io"
	"os"

	"github.com/lobby/lobby/app"
)

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

// run executes one command line and returns its exit code; tests call it directly.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return app.Main(args, app.IO{Stdin: stdin, Stdout: stdout, Stderr: stderr, Environ: os.Environ(), Assets: assets()})
}
