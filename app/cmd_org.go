package app

import (
	"context"
	"flag"
	"fmt"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

func cmdOrgCreate(ctx context.Context, env IO, args []string) error {
	var slug, name string
	if err := flags("org create", args, []string{"slug", "name"}, func(fs *flag.FlagSet) {
		fs.StringVar(&slug, "slug", "", "")
		fs.StringVar(&name, "name", "", "")
	}); err != nil {
		return err
	}
	return withOrg(ctx, env, "", func(svc *org.Service, _ store.Org) error {
		o, err := svc.CreateOrg(ctx, org.SystemActor("cli", "command line", ""), slug, name)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Created the organization %q (%s).\n", o.Name, o.Slug)
		return nil
	})
}
