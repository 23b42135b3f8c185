package app

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/password"
)

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
