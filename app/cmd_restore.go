package app

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/lobby/lobby/app/store"
)

// cmdRestore puts a backup made by `lobby backup` in place of the local database, keeping the
// database it replaces beside it (store.Restore). Lobby must be stopped.
func cmdRestore(ctx context.Context, env IO, args []string) error {
	var from string
	if err := flags("restore", args, []string{"from"}, func(fs *flag.FlagSet) { fs.StringVar(&from, "from", "", "") }); err != nil {
		return err
	}
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	path, ok := store.LocalFile(cfg.Database.URL)
	if !ok {
		return fmt.Errorf("database.url %s is not a local file: restore a remote database with its own tools", cfg.Database.URL)
	}
	if strings.Contains(cfg.Database.URL, "?") {
		return fmt.Errorf("database.url %s has options after \"?\"; restore works on a plain file path", cfg.Database.URL)
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs // said in full, so that a restore run from another folder shows where it went
	}
	kept, err := store.Restore(ctx, path, from, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Restored %s as %s.\n", from, path)
	if kept != "" {
		fmt.Fprintf(env.Stdout, "The database it replaced is kept as %s; remove it once Lobby works.\n", kept)
	}
	fmt.Fprintln(env.Stdout, "Start Lobby: it upgrades the copy first if it is older. Emails that were waiting to go out "+
		"when the backup was made are marked not sent; send those invitations again.")
	return nil
}
