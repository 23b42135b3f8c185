package app

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/lobby/lobby/app/config"
	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/password"
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

func cmdAdminCreate(ctx context.Context, env IO, args []string) error {
	var slug, email, name string
	var fromStdin bool
	if err := flags("admin create", args, []string{"org", "email", "name"}, func(fs *flag.FlagSet) {
		fs.StringVar(&slug, "org", "", "")
		fs.StringVar(&email, "email", "", "")
		fs.StringVar(&name, "name", "", "")
		fs.BoolVar(&fromStdin, "password-stdin", false, "")
	}); err != nil {
		return err
	}
	pw := ""
	for _, kv := range env.Environ {
		if v, ok := strings.CutPrefix(kv, "LOBBY_ADMIN_PASSWORD="); ok {
			pw = v
		}
	}
	if fromStdin {
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("could not read the password from standard input: %w", err)
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	if pw == "" {
		return usageError{"give the password in LOBBY_ADMIN_PASSWORD or on standard input with --password-stdin"}
	}
	return withOrg(ctx, env, slug, func(svc *org.Service, o store.Org) error {
		if err := password.CheckLength(pw, svc.PasswordMinLength()); err != nil {
			return fmt.Errorf("LOBBY_ADMIN_PASSWORD or standard input: %v", err)
		}
		hash, err := svc.HashPassword(ctx, pw)
		if err != nil {
			return err
		}
		m, err := svc.AddMember(ctx, org.SystemActor("cli", "command line", o.ID), org.NewMember{Email: email, Name: name,
			PasswordHash: hash, Role: org.RoleOwner, Source: "admin"})
		if err != nil {
			return err
		}
		if !m.MadeAccount {
			// The password given is not used: an account is changed only by its owner.
			u, err := svc.User(ctx, m.UserID)
			if err != nil {
				return err
			}
			how := "they sign in with the password they have"
			if u.PasswordHash == "" {
				how = "they have no password: they sign in with single sign-on, or set one with \"Forgot your password?\" on the sign-in page"
			}
			fmt.Fprintf(env.Stdout, "%s is now an owner of %s. They already had an account, so %s; the password given here "+
				"was not used.\n", m.Email, o.Name, how)
			return nil
		}
		fmt.Fprintf(env.Stdout, "%s is now an owner of %s and can sign in.\n", m.Email, o.Name)
		return nil
	})
}

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

func cmdJobsRun(ctx context.Context, env IO, args []string) error {
	if len(args) != 1 {
		return usageError{"name one job: expire, remind or purge"}
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
	run, err := a.Jobs.RunNow(ctx, args[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: %s in %d ms (%s)\n", args[0], run.Result, run.DurationMs, run.Summary)
	return nil
}

func cmdBackup(ctx context.Context, env IO, args []string) error {
	var out string
	if err := flags("backup", args, []string{"out"}, func(fs *flag.FlagSet) { fs.StringVar(&out, "out", "", "") }); err != nil {
		return err
	}
	if err := withStore(ctx, env, func(_ config.Config, db *store.DB) error { return db.Backup(ctx, out) }); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Wrote a consistent copy of the database to %s.\n", out)
	return nil
}
