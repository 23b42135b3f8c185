package app

import (
	"context"
	"flag"
	"fmt"
)

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
