package app

import (
	"context"
	"flag"
	"fmt"
)

func cmdVersion(_ context.Context, env IO, args []string) error {
	if err := flags("version", args, nil, func(fs *flag.FlagSet) {}); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "lobby %s\n", Version)
	return nil
}
