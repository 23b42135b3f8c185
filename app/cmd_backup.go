package app

import (
	"context"
	"flag"
	"fmt"

	"github.com/lobby/lobby/app/config"
	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/token"
)

func cmdBackup(ctx context.Context, env IO, args []string) error {
	var out string
	if err := flags("backup", args, []string{"out"}, func(fs *flag.FlagSet) { fs.StringVar(&out, "out", "", "") }); err != nil {
		return err
	}
	if err := withStore(ctx, env, func(_ config.Config, db *store.DB) error { return db.Backup(ctx, out, token.Redact) }); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Wrote a consistent copy of the database to %s.\n", out)
	return nil
}
