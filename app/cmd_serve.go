package app

import (
	"context"
	"flag"
)

func cmdServe(ctx context.Context, env IO, args []string) error {
	if err := flags("serve", args, nil, func(fs *flag.FlagSet) {}); err != nil {
		return err
	}
	a, err := openApp(ctx, env)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.printSetupHint(ctx, env); err != nil {
		return err
	}
	return a.Run(ctx)
}
