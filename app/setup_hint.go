package app

import (
	"context"
	"fmt"
	"strings"
)

// printSetupHint prints a one-time setup link while the instance has nobody yet, and where
// to sign in once it has.
func (a *App) printSetupHint(ctx context.Context, env IO) error {
	need, err := a.Org.SetupNeeded(ctx)
	if err != nil {
		return err
	}
	if !need {
		fmt.Fprintf(env.Stdout, "Lobby is set up: sign in at %s/login\n", strings.TrimRight(a.Config.Server.BaseURL, "/"))
		return nil
	}
	url, err := a.Org.NewSetupLink(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, `
Nobody can sign in to Lobby yet. Open this link once to create your organization and its owner:

    %s

(It works once, for 24 hours; restarting Lobby prints a new one. It starts with server.base_url:
set that if people reach Lobby at another address.) Or from the command line:

    lobby org create --slug acme --name "Acme"
    LOBBY_ADMIN_PASSWORD=… lobby admin create --org acme --email you@example.com --name "Your Name"

`, url)
	return nil
}
