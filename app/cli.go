package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/lobby/lobby/app/config"
	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/password"
)

// Version is set at build time with -ldflags "-X github.com/lobby/lobby/app.Version=…".
var Version = "dev"

// IO is where a command reads and writes.
type IO struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Environ        []string
	Assets         fs.FS
}

type command struct {
	usage string
	run   func(ctx context.Context, env IO, args []string) error
}

var commands = map[string]command{
	"serve":        {"serve                      run Lobby (the default)", cmdServe},
	"migrate":      {"migrate                    apply database migrations and exit", cmdMigrate},
	"version":      {"version                    print the version", cmdVersion},
	"config dump":  {"config dump                print the effective configuration, secrets masked", cmdConfigDump},
	"org create":   {"org create --slug S --name N", cmdOrgCreate},
	"admin create": {"admin create --org S --email E --name N [--password-stdin]   (or LOBBY_ADMIN_PASSWORD)", cmdAdminCreate},
	"token create": {"token create --org S --name N [--kind api|scim] [--expires-in 365d]", cmdTokenCreate},
	"jobs run":     {"jobs run NAME              run one cron job now (expire, remind, purge)", cmdJobsRun},
	"backup":       {"backup --out FILE          write a consistent copy of the database, also while Lobby runs", cmdBackup},
	"restore":      {"restore --from FILE        put a backup in place of the database (Lobby stopped); the one it replaces is kept", cmdRestore},
	"import":       {"import --org S --file F.csv [--dry-run] [--notify] [--resend-existing] [--create-teams]   preview, invite, write F.report.csv", cmdImport},
	"export":       {"export --org S members|invitations [--status S] [--team T] [--role R] [--q TEXT] [--import ID]   CSV on standard output", cmdExport},
}

// Main runs the command named by args (without the program name) and returns the exit code.
func Main(args []string, env IO) int {
	TuneGC()
	file, args, err := takeConfigFlag(args)
	if err != nil {
		fmt.Fprintf(env.Stderr, "lobby: %v\n\n", err)
		usage(env.Stderr)
		return 2
	}
	if file != "" {
		env.Environ = append(env.Environ, "LOBBY_CONFIG="+file)
	}
	name, rest := "serve", args
	switch {
	case len(args) >= 2 && commands[args[0]+" "+args[1]].run != nil:
		name, rest = args[0]+" "+args[1], args[2:]
	case len(args) >= 1 && commands[args[0]].run != nil:
		name, rest = args[0], args[1:]
	case len(args) == 1 && (args[0] == "--version" || args[0] == "-version"):
		name, rest = "version", nil
	case len(args) >= 1 && (args[0] == "help" || args[0] == "-h" || args[0] == "--help"):
		usage(env.Stdout)
		return 0
	case len(args) >= 1 && !strings.HasPrefix(args[0], "-"):
		words := args[:1] // the command's words, without its flags
		if len(args) >= 2 && !strings.HasPrefix(args[1], "-") {
			words = args[:2]
		}
		fmt.Fprintf(env.Stderr, "lobby: unknown command %q\n\n", strings.Join(words, " "))
		usage(env.Stderr)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := commands[name].run(ctx, env, rest); err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(env.Stderr, "lobby %s: %s\nusage: lobby %s\n", name, ue.msg, commands[name].usage)
			return 2
		}
		fmt.Fprintf(env.Stderr, "lobby %s: %v\n", name, err)
		return 1
	}
	return 0
}

// takeConfigFlag removes --config FILE (or --config=FILE, -config) from anywhere in args, before
// or after the command, and returns the file named last.
func takeConfigFlag(args []string) (file string, rest []string, err error) {
	rest = make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return file, append(rest, args[i:]...), nil
		}
		if v, ok := strings.CutPrefix(a, "--config="); ok {
			file = v
			continue
		}
		if v, ok := strings.CutPrefix(a, "-config="); ok {
			file = v
			continue
		}
		if a == "--config" || a == "-config" {
			if i+1 >= len(args) || args[i+1] == "" {
				return "", nil, errors.New("--config needs a file")
			}
			file, i = args[i+1], i+1
			continue
		}
		rest = append(rest, a)
	}
	return file, rest, nil
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: lobby [--config FILE] COMMAND\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  lobby %s\n", commands[n].usage)
	}
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// flags parses a command's flags, failing with a usage error naming what is missing.
func flags(name string, args []string, required []string, define func(fs *flag.FlagSet)) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	define(fs)
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	for _, r := range required {
		if f := fs.Lookup(r); f == nil || f.Value.String() == "" {
			return usageError{"--" + r + " is required"}
		}
	}
	return nil
}

// loadConfig reads the config file named by LOBBY_CONFIG (or --config) and the environment.
func loadConfig(env IO) (config.Config, error) {
	path := ""
	for _, kv := range env.Environ {
		if v, ok := strings.CutPrefix(kv, "LOBBY_CONFIG="); ok {
			path = v
		}
	}
	cfg, err := config.Load(path, env.Environ)
	if err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

// withOrg opens the database and finds an organization, for the commands that act on one.
func withOrg(ctx context.Context, env IO, slug string, fn func(svc *org.Service, o store.Org) error) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	if path, ok := store.LocalFile(cfg.Database.URL); ok && slug != "" {
		// A command about an existing organization never makes a new, empty database.
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("there is no database at %s: run this where Lobby keeps its data, or set database.url "+
				"(LOBBY_DATABASE_URL)", path)
		}
	}
	return withDB(ctx, env, cfg, func(cfg config.Config, db *store.DB) error {
		if _, err := db.Migrate(ctx); err != nil {
			return err
		}
		return withService(ctx, env, cfg, db, slug, fn)
	})
}

// openApp loads the config and builds the whole App (migrating the database), logging to
// standard error; the caller closes it.
func openApp(ctx context.Context, env IO) (*App, error) {
	cfg, err := loadConfig(env)
	if err != nil {
		return nil, err
	}
	return New(ctx, cfg, env.Assets, Options{Logger: NewLogger(cfg, env.Stderr)})
}

// withStore loads the config and opens the database for a command, closing it after.
func withStore(ctx context.Context, env IO, fn func(cfg config.Config, db *store.DB) error) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	return withDB(ctx, env, cfg, fn)
}

// withDB opens the configured database for a command, closing it after.
func withDB(ctx context.Context, env IO, cfg config.Config, fn func(cfg config.Config, db *store.DB) error) error {
	db, err := OpenStore(ctx, cfg, NewLogger(cfg, env.Stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(cfg, db)
}

func withService(ctx context.Context, env IO, cfg config.Config, db *store.DB, slug string, fn func(svc *org.Service, o store.Org) error) error {
	svc := org.New(db, org.Options{BaseURL: cfg.Server.BaseURL, Logger: NewLogger(cfg, env.Stderr),
		Hasher: password.New(1), PasswordMinLength: cfg.Security.PasswordMinLength})
	if slug == "" {
		return fn(svc, store.Org{})
	}
	o, err := svc.OrgBySlug(ctx, slug)
	if err != nil {
		// Run from another folder, the default database is a new, empty one: say which was read.
		return fmt.Errorf("no organization with the slug %q in the database %s; create it with: lobby org create --slug %s --name NAME "+
			"(or run this where Lobby keeps its data, or set database.url)", slug, cfg.Database.URL, slug)
	}
	return fn(svc, o)
}
