package app

import (
	"context"
	"flag"
	"fmt"

	"github.com/lobby/lobby/app/config"
	"github.com/lobby/lobby/app/store"
)

func cmdMigrate(ctx context.Context, env IO, args []string) error {
	if err := flags("migrate", args, nil, func(fs *flag.FlagSet) {}); err != nil {
		return err
	}
	return withStore(ctx, env, func(_ config.Config, db *store.DB) error {
		n, err := db.Migrate(ctx)
		if err != nil {
			return err
		}
		v, err := db.Version(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Applied %d migrations; the database is at version %d.\n", n, v)
		return nil
	})
}
