package app

import (
	"context"
	"fmt"
)

func cmdJobsRun(ctx context.Context, env IO, args []string) error {
	if len(args) != 1 {
		return usageError{"name one job: expire, remind or purge"}
	}
	a, err := openApp(ctx, env)
	if err != nil {
		return err
	}
	defer a.Close()
	run, err := a.Jobs.RunNow(ctx, args[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: %s in %d ms (%s)\n", args[0], run.Result, run.DurationMs, run.Summary)
	return nil
}
