package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// cmdExport writes an organization's members or invitations to standard output as CSV.
func cmdExport(ctx context.Context, env IO, args []string) error {
	var kind, slug, status, team, role, query, importID string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		kind, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&slug, "org", "", "")
	fs.StringVar(&status, "status", "", "")
	fs.StringVar(&team, "team", "", "")
	fs.StringVar(&role, "role", "", "")
	fs.StringVar(&query, "q", "", "")
	fs.StringVar(&importID, "import", "", "")
	// The kind may stand before, among or after the flags.
	for {
		if err := fs.Parse(args); err != nil {
			return usageError{err.Error()}
		}
		if fs.NArg() == 0 {
			break
		}
		if kind != "" {
			return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
		}
		kind, args = fs.Arg(0), fs.Args()[1:]
	}
	if slug == "" {
		return usageError{"--org is required"}
	}
	switch kind {
	case "members":
		if importID != "" {
			return usageError{"--import filters invitations only; members take --status, --team, --role and --q"}
		}
	case "invitations":
		if team != "" || role != "" {
			return usageError{"--team and --role filter members only; invitations take --status, --q and --import"}
		}
	case "":
		return usageError{"name what to export: members or invitations"}
	default:
		return usageError{fmt.Sprintf("cannot export %q; choose members or invitations", kind)}
	}
	return withOrg(ctx, env, slug, func(svc *org.Service, o store.Org) error {
		a := org.SystemActor("cli", "command line", o.ID)
		var e org.Export
		var err error
		if kind == "members" {
			e, err = svc.ExportMembers(ctx, a, store.MemberFilter{Status: status, TeamID: team, RoleKey: role, Query: query})
		} else {
			e, err = svc.ExportInvitations(ctx, a, store.InvitationFilter{Status: status, Query: query, ImportID: importID})
		}
		if err != nil {
			return err
		}
		if err := e.Write(ctx, env.Stdout); err != nil && !errors.Is(err, os.ErrClosed) {
			return err
		}
		return nil
	})
}
