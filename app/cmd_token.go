package app

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

func cmdTokenCreate(ctx context.Context, env IO, args []string) error {
	var slug, name, kind, life string
	if err := flags("token create", args, []string{"org", "name"}, func(fs *flag.FlagSet) {
		fs.StringVar(&slug, "org", "", "")
		fs.StringVar(&name, "name", "", "")
		fs.StringVar(&kind, "kind", "api", "")
		fs.StringVar(&life, "expires-in", "365d", "")
	}); err != nil {
		return err
	}
	d, err := org.ParseTokenLifetime(life)
	if err != nil {
		return usageError{"--expires-in: " + err.Error()}
	}
	return withOrg(ctx, env, slug, func(svc *org.Service, o store.Org) error {
		t, err := svc.CreateTokenFor(ctx, org.SystemActor("cli", "command line", o.ID), kind, name, d)
		if err != nil {
			return err
		}
		exp := time.UnixMilli(*t.Token.ExpiresAt).UTC().Format("2 January 2006 15:04 MST")
		fmt.Fprintf(env.Stdout, "Created the %s token %q for %s; it works until %s. It is shown only now:\n%s\n", kind, name, o.Name, exp, t.Plain)
		return nil
	})
}
