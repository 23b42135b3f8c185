// Package app wires Lobby together: config → logger → store → org → mail → jobs → HTTP, and
// shuts down in the reverse order. It also holds the command-line commands. Only main imports it.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/config"
	"github.com/lobby/lobby/app/jobs"
	"github.com/lobby/lobby/app/mail"
	"github.com/lobby/lobby/app/metrics"
	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/app/web"
	"github.com/lobby/lobby/auth/oidc"
	"github.com/lobby/lobby/auth/password"
	"github.com/lobby/lobby/auth/session"
	"github.com/lobby/lobby/auth/throttle"
	"github.com/lobby/lobby/scim"
)

// App is one running Lobby.
type App struct {
	Config   config.Config
	Log      *slog.Logger
	DB       *store.DB
	Metrics  *metrics.Metrics
	Org      *org.Service
	Sender   *mail.Sender
	Mail     *mail.Renderer
	Jobs     *jobs.Scheduler
	HTTP     *fiber.App
	Assets   fs.FS
	Sessions *session.Manager
	Throttle *throttle.Limiter
	// bearerGuard throttles wrong API and SCIM tokens per client address.
	bearerGuard *throttle.Guard
	Render      *web.Renderer
	// OIDC are the configured OpenID providers, discovered on first use.
	OIDC     *oidc.Registry
	clientIP func(c *fiber.Ctx) string
	now      func() time.Time
}

// Options are the parts tests replace.
type Options struct {
	Now    func() time.Time
	Logger *slog.Logger
	// Transport replaces the configured mail transport.
	Transport mail.Transport
}

// New opens the database (migrating it), and builds every part without starting any.
func New(ctx context.Context, cfg config.Config, assets fs.FS, o Options) (*App, error) {
	a := &App{Config: cfg, Assets: assets, now: o.Now, Log: o.Logger}
	if a.now == nil {
		a.now = time.Now
	}
	if a.Log == nil {
		a.Log = NewLogger(cfg, os.Stderr)
	}
	db, err := OpenStore(ctx, cfg, a.Log)
	if err != nil {
		return nil, err
	}
	a.DB = db
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	a.Metrics = metrics.New()
	if a.Mail, err = mail.NewRenderer(assets); err != nil {
		db.Close()
		return nil, fmt.Errorf("mail templates: %w", err)
	}
	transport := o.Transport
	if transport == nil {
		if transport, err = newTransport(cfg); err != nil {
			db.Close()
			return nil, err
		}
	}
	a.Sender = mail.NewSender(db, a.Mail, transport, mail.SenderOptions{From: cfg.Mail.From, MaxAttempts: cfg.Mail.MaxAttempts,
		Now: a.now, Logger: a.Log, Metrics: a.Metrics})
	a.Org = org.New(db, org.Options{BaseURL: cfg.Server.BaseURL, Now: a.now, Logger: a.Log, Metrics: a.Metrics,
		MailQueued: a.Sender.Kick, Hasher: password.New(cfg.Security.HashConcurrency), PasswordMinLength: cfg.Security.PasswordMinLength})
	a.OIDC = oidc.NewRegistry(cfg.OIDC.Providers, cfg.Server.BaseURL, oidc.Options{Now: a.now})
	a.Org.SetSSOProviders(oidc.Names(a.OIDC))
	a.Sessions = session.New(db, a.now, cfg.Security.SessionIdle.Duration, cfg.Security.SessionAbsolute.Duration)
	a.Throttle = throttle.New(db, a.now)
	a.bearerGuard = a.Throttle.Guard(bearerFailLimit, bearerFailWindow)
	a.Org.AddPurger(a.Sessions.Purge)
	a.Org.AddPurger(a.Throttle.Purge)
	a.Org.AddPurger(a.Org.PurgeLinks)
	if a.Render, err = web.NewRenderer(assets); err != nil {
		db.Close()
		return nil, fmt.Errorf("page templates: %w", err)
	}
	if a.clientIP, err = web.ClientIPFunc(cfg.Server.TrustedProxies); err != nil {
		db.Close()
		return nil, fmt.Errorf("server.trusted_proxies: %w", err)
	}
	if a.Jobs, err = a.newJobs(); err != nil {
		db.Close()
		return nil, err
	}
	a.HTTP = a.newHTTP()
	return a, nil
}

// OpenStore opens the configured database without migrating it; the store's own lines go to log.
func OpenStore(ctx context.Context, cfg config.Config, log *slog.Logger) (*store.DB, error) {
	url := cfg.Database.URL
	if cfg.Database.AuthToken != "" {
		url += "?authToken=" + cfg.Database.AuthToken
	}
	return store.Open(ctx, url, store.Options{BusyTimeout: cfg.Database.BusyTimeout.Duration, Logger: log})
}

func newTransport(cfg config.Config) (mail.Transport, error) {
	switch cfg.Mail.Transport {
	case "smtp":
		s := cfg.Mail.SMTP
		return mail.NewSMTPTransport(mail.SMTPConfig{Host: s.Host, Port: s.Port, Username: s.Username, Password: s.Password,
			TLS: s.TLS, Timeout: s.Timeout.Duration})
	default:
		return mail.NewFileTransport(cfg.Mail.Dir)
	}
}

func (a *App) newJobs() (*jobs.Scheduler, error) {
	s := jobs.New(a.DB, jobs.Options{Now: a.now, Logger: a.Log, Metrics: a.Metrics})
	j := a.Config.Jobs
	for _, def := range []struct {
		name, spec, desc string
		fn               func(context.Context) (string, error)
	}{
		{"expire", j.Expire, "Marks pending invitations past their expiry as expired and tells the inviters.", a.Org.ExpireDue},
		{"remind", j.Remind, "Sends a reminder shortly before an invitation expires, where the organization asks for it.", a.Org.RemindDue},
		{"purge", j.Purge, "Deletes delivered mail and job history older than 30 days, and ended sessions and used links.",
			func(ctx context.Context) (string, error) { return a.Org.Purge(ctx, 30*24*time.Hour) }},
	} {
		if err := s.Register(def.name, def.spec, def.desc, def.fn); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Run serves HTTP on the configured address, delivers mail and runs the jobs until ctx ends,
// then shuts down: stop taking requests and finish the ones in flight, stop the jobs, send the
// mail that is due.
func (a *App) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.Config.Server.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w (choose another address with server.addr or LOBBY_SERVER_ADDR, "+
			"and set server.base_url to match, since every link is built from it)", a.Config.Server.Addr, err)
	}
	return a.Serve(ctx, ln)
}

// Serve is Run on a listener the caller opened.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	senderCtx, stopSender := context.WithCancel(context.WithoutCancel(ctx))
	senderDone := make(chan struct{})
	go func() { defer close(senderDone); a.Sender.Run(senderCtx) }()
	if a.Config.Jobs.Enabled {
		a.Jobs.Start(ctx)
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- a.HTTP.Listener(ln) }()
	a.Log.Info("Lobby is listening.", "addr", ln.Addr().String(), "base_url", a.Config.Server.BaseURL)
	var err error
	select {
	case <-ctx.Done():
	case err = <-serveErr:
	}
	a.Log.Info("Lobby is shutting down.")
	timeout := a.Config.Server.ShutdownTimeout.Duration
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if herr := a.HTTP.ShutdownWithContext(sctx); herr != nil && err == nil {
		err = herr
	}
	if jerr := a.Jobs.Stop(sctx); jerr != nil {
		a.Log.Warn("Jobs did not stop in time.", "err", jerr)
	}
	stopSender()
	<-senderDone
	if _, _, ferr := a.Sender.SendDue(sctx); ferr != nil {
		a.Log.Warn("Could not send the last due mail before stopping; it stays queued.", "err", ferr)
	}
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	return err
}

// Close releases the database.
func (a *App) Close() {
	if a.DB != nil {
		a.DB.Close()
	}
}

// NewLogger makes the slog logger the config asks for.
func NewLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Log.Level))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// scimDeps is what the SCIM endpoint needs; the [scim] table says what provisioning may do.
func (a *App) scimDeps() scim.Deps {
	c := a.Config.SCIM
	return scim.Deps{Org: a.Org, Log: a.Log, BaseURL: a.Config.Server.BaseURL, MaxBody: a.Config.Server.MaxBodyBytes,
		Policy: org.SCIMPolicy{Role: c.Role, MaxRole: c.MaxRole, DeleteMode: c.DeleteMode, WelcomeEmail: c.WelcomeEmail}}
}
