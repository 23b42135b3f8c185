package app

import (
	"context"
	"flag"
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
