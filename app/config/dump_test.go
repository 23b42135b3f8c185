package config

import (
	"reflect"
	"strings"
	"testing"
)

func TestDumpMasksSecretsAndRoundTrips(t *testing.T) {
	t.Parallel()
	c := Default()
	c.Database.AuthToken = "db-token-value"
	c.Mail.SMTP.Password = "smtp-password-value"
	c.Mail.SMTP.Username = "mailer"
	c.Server.TrustedProxies = []string{"10.0.0.0/8"}
	c.Security.SessionIdle = D(c.Security.SessionIdle.Duration / 2)
	p := provider("acme")
	p.ClientSecret = "oidc-secret-value"
	c.OIDC.Providers = []OIDCProvider{p, provider("open")}

	out := c.Dump()
	for _, secret := range []string{"db-token-value", "smtp-password-value", "oidc-secret-value"} {
		if strings.Contains(out, secret) {
			t.Errorf("Dump shows the secret %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{`auth_token = "********"`, `password = "********"`, `client_secret = "********"`,
		`client_secret = ""`, `username = "mailer"`, `session_idle = "6h"`, `trusted_proxies = ["10.0.0.0/8"]`} {
		if !strings.Contains(out, want) {
			t.Errorf("Dump lacks %s:\n%s", want, out)
		}
	}
	if c.OIDC.Providers[0].ClientSecret != "oidc-secret-value" || c.Database.AuthToken != "db-token-value" {
		t.Fatal("Dump changed the config it was called on")
	}

	back, err := Load(writeFile(t, "dump.toml", out), nil)
	if err != nil {
		t.Fatalf("the dump does not load: %v\n%s", err, out)
	}
	want := c
	want.Database.AuthToken, want.Mail.SMTP.Password = Mask, Mask
	want.OIDC.Providers = []OIDCProvider{p, provider("open")}
	want.OIDC.Providers[0].ClientSecret = Mask
	if !reflect.DeepEqual(back, want) {
		t.Fatalf("the dump loads back as\n%+v\nwant\n%+v", back, want)
	}
}

func TestDumpOfDefaultsShowsEmptySecrets(t *testing.T) {
	t.Parallel()
	out := Default().Dump()
	if strings.Contains(out, Mask) {
		t.Fatalf("unset secrets are masked, hiding that they are unset:\n%s", out)
	}
	for _, k := range []string{"[server]", `addr = ":8080"`, "[mail.smtp]", `auth_token = ""`, `expire = "@every 1m"`} {
		if !strings.Contains(out, k) {
			t.Errorf("Dump lacks %s", k)
		}
	}
}
