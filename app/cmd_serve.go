package app

import (
	"context"
	"flag"
	"fmt"

	"github.com/lobby/lobby/app/config"
	"github.com/lobby/lobby/app/store"
)

func cmdServe(ctx context.Context, env IO, args []string) error {
	if err := flags("serve", args, nil, func(fs *flag.FlagSet) {}); err != nil {
		return err
	}
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	a, err := New(ctx, cfg, env.Assets, Options{Logger: NewLogger(cfg, env.Stderr)})
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.printSetupHint(ctx, env); err != nil {
		return err
	}
	return a.Run(ctx)
}

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

func cmdVersion(_ context.Context, env IO, args []string) error {
	if err := flags("version", args, nil, func(fs *flag.FlagSet) {}); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "lobby %s\n", Version)
	return nil
}

func cmdConfigDump(_ context.Context, env IO, args []string) error {
	if err := flags("config dump", args, nil, func(fs *flag.FlagSet) {}); err != nil {
		return err
	}
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	fmt.Fprint(env.Stdout, cfg.Dump())
	return nil
}
