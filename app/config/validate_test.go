package config

import (
	"strings"
	"testing"
	"time"
)

// provider is a valid provider for tests to break.
func provider(id string) OIDCProvider {
	return OIDCProvider{ID: id, Name: id, Issuer: "https://idp.example", ClientID: "c",
		Scopes: []string{"openid"}, AllowedDomains: []string{}, NameClaim: "name"}
}

func TestValidateMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(c *Config)
		want   string // "" means valid
	}{
		{"defaults", func(c *Config) {}, ""},
		{"addr any port", func(c *Config) { c.Server.Addr = "127.0.0.1:0" }, ""},
		{"addr", func(c *Config) { c.Server.Addr = "8080" }, `server.addr: must be host:port or :port, got "8080"`},
		{"addr port", func(c *Config) { c.Server.Addr = ":99999" }, `server.addr: must be host:port or :port, got ":99999"`},
		{"base url relative", func(c *Config) { c.Server.BaseURL = "foo" }, `server.base_url: must be an absolute http or https URL, got "foo"`},
		{"base url scheme", func(c *Config) { c.Server.BaseURL = "ftp://x.example" }, `server.base_url: must be an absolute http or https URL, got "ftp://x.example"`},
		{"base url no host", func(c *Config) { c.Server.BaseURL = "https://" }, `server.base_url: must be an absolute http or https URL, got "https://"`},
		{"base url query", func(c *Config) { c.Server.BaseURL = "https://x.example/?a=1" }, `server.base_url: must not have a query or fragment, got "https://x.example/?a=1"`},
		{"base url fragment", func(c *Config) { c.Server.BaseURL = "https://x.example#top" }, `server.base_url: must not have a query or fragment, got "https://x.example#top"`},
		{"base url user", func(c *Config) { c.Server.BaseURL = "https://u:p@x.example" }, `server.base_url: must not contain a user name or password`},
		{"base url slash", func(c *Config) { c.Server.BaseURL = "https://x.example/" }, `server.base_url: must not end with a slash, got "https://x.example/"`},
		{"base url path", func(c *Config) { c.Server.BaseURL = "https://x.example/lobby" }, ""},
		{"max body", func(c *Config) { c.Server.MaxBodyBytes = 0 }, `server.max_body_bytes: must be at least 1, got 0`},
		{"proxy", func(c *Config) { c.Server.TrustedProxies = []string{"10.0.0.0/8", "10.0.0.1"} }, `server.trusted_proxies[1]: must be a CIDR such as "10.0.0.0/8" or "192.0.2.7/32", got "10.0.0.1"`},
		{"shutdown timeout", func(c *Config) { c.Server.ShutdownTimeout = D(0) }, `server.shutdown_timeout: must be a duration greater than zero, got "0s"`},
		{"database url empty", func(c *Config) { c.Database.URL = "" }, `database.url: must not be empty`},
		{"database url scheme", func(c *Config) { c.Database.URL = "postgres://x" }, `database.url: must be a file path, file:PATH, libsql://, http:// or https:// URL, got "postgres://x"`},
		{"database remote", func(c *Config) { c.Database.URL = "libsql://db.turso.io" }, ""},
		{"database file options", func(c *Config) { c.Database.URL = "file:./ro.db?mode=ro" }, `database.url: a local database is a file path without options (no ? or #), got "file:./ro.db?mode=ro"`},
		{"busy timeout", func(c *Config) { c.Database.BusyTimeout = D(-time.Second) }, `database.busy_timeout: must be a duration greater than zero, got "-1s"`},
		{"transport", func(c *Config) { c.Mail.Transport = "sendmail" }, `mail.transport: must be one of "file", "smtp", got "sendmail"`},
		{"mail dir", func(c *Config) { c.Mail.Dir = "" }, `mail.dir: must be set when mail.transport is "file"`},
		{"mail from", func(c *Config) { c.Mail.From = "Lobby" }, `mail.from: must be an address such as "Lobby <lobby@example.com>", got "Lobby"`},
		{"mail attempts", func(c *Config) { c.Mail.MaxAttempts = 0 }, `mail.max_attempts: must be at least 1, got 0`},
		{"smtp host", func(c *Config) { c.Mail.Transport = "smtp" }, `mail.smtp.host: must be set when mail.transport is "smtp"`},
		{"smtp ok", func(c *Config) { c.Mail.Transport, c.Mail.SMTP.Host, c.Mail.Dir = "smtp", "smtp.example", "" }, ""},
		{"smtp port low", func(c *Config) { c.Mail.SMTP.Port = 0 }, `mail.smtp.port: must be a port between 1 and 65535, got 0`},
		{"smtp port high", func(c *Config) { c.Mail.SMTP.Port = 65536 }, `mail.smtp.port: must be a port between 1 and 65535, got 65536`},
		{"smtp tls", func(c *Config) { c.Mail.SMTP.TLS = "ssl" }, `mail.smtp.tls: must be one of "starttls", "tls", "none", got "ssl"`},
		{"smtp timeout", func(c *Config) { c.Mail.SMTP.Timeout = D(0) }, `mail.smtp.timeout: must be a duration greater than zero, got "0s"`},
		{"job spec", func(c *Config) { c.Jobs.Remind = "every 10m" }, `jobs.remind: must be a cron schedule such as "@every 10m" or "*/5 * * * *", got "every 10m"`},
		{"job cron", func(c *Config) { c.Jobs.Purge = "0 3 * * *" }, ""},
		{"session idle", func(c *Config) { c.Security.SessionIdle = D(0) }, `security.session_idle: must be a duration greater than zero, got "0s"`},
		{"session absolute", func(c *Config) { c.Security.SessionAbsolute = D(time.Hour) }, `security.session_absolute: must not be shorter than security.session_idle (12h), got "1h"`},
		{"login window", func(c *Config) { c.Security.LoginWindow = D(0) }, `security.login_window: must be a duration greater than zero, got "0s"`},
		{"password floor", func(c *Config) { c.Security.PasswordMinLength = 6 }, `security.password_min_length: must be between 8 and 128, got 6`},
		{"hash concurrency", func(c *Config) { c.Security.HashConcurrency = 0 }, `security.hash_concurrency: must be at least 1, got 0`},
		{"login failures", func(c *Config) { c.Security.LoginMaxFailures = 0 }, `security.login_max_failures: must be at least 1, got 0`},
		{"secure cookies", func(c *Config) { c.Security.SecureCookies = "yes" }, `security.secure_cookies: must be one of "auto", "always", "never", got "yes"`},
		{"import rows", func(c *Config) { c.Imports.MaxRows = 0 }, `imports.max_rows: must be at least 1, got 0`},
		{"import bytes", func(c *Config) { c.Imports.MaxBytes = -1 }, `imports.max_bytes: must be at least 1, got -1`},
		{"log level", func(c *Config) { c.Log.Level = "trace" }, `log.level: must be one of "debug", "info", "warn", "error", got "trace"`},
		{"log format", func(c *Config) { c.Log.Format = "xml" }, `log.format: must be one of "text", "json", got "xml"`},
		{"scim role", func(c *Config) { c.SCIM.Role = "" }, `scim.role: must be a role key such as "member"`},
		{"scim max role", func(c *Config) { c.SCIM.MaxRole = "Admin" }, `scim.max_role: must be a role key such as "member" (lower-case letters, digits, - and _), got "Admin"`},
		{"scim delete", func(c *Config) { c.SCIM.DeleteMode = "archive" }, `scim.delete_mode: must be one of "delete", "deactivate", got "archive"`},
		{"provider ok", func(c *Config) { c.OIDC.Providers = []OIDCProvider{provider("a"), provider("b-2")} }, ""},
		{"provider id", func(c *Config) { c.OIDC.Providers = []OIDCProvider{provider("Acme")} }, `oidc.providers[0].id: must be lower-case letters, digits and -, got "Acme"`},
		{"provider id empty", func(c *Config) { c.OIDC.Providers = []OIDCProvider{provider("")} }, `oidc.providers[0].id: must be lower-case letters, digits and -, got ""`},
		{"provider id twice", func(c *Config) { c.OIDC.Providers = []OIDCProvider{provider("a"), provider("a")} }, `oidc.providers[1].id: "a" is used by another provider; ids must be unique`},
		{"issuer http", func(c *Config) {
			p := provider("a")
			p.Issuer = "http://idp.example"
			c.OIDC.Providers = []OIDCProvider{p}
		}, `oidc.providers[0].issuer: must use https (http is allowed only for localhost and 127.0.0.1), got "http://idp.example"`},
		{"issuer localhost", func(c *Config) {
			p, q := provider("a"), provider("b")
			p.Issuer, q.Issuer = "http://localhost:5556/dex", "http://127.0.0.1:9000"
			c.OIDC.Providers = []OIDCProvider{p, q}
		}, ""},
		{"issuer missing", func(c *Config) {
			p := provider("a")
			p.Issuer = ""
			c.OIDC.Providers = []OIDCProvider{p}
		}, `oidc.providers[0].issuer: must be an https URL, got ""`},
		{"client id", func(c *Config) {
			p := provider("a")
			p.ClientID = ""
			c.OIDC.Providers = []OIDCProvider{p}
		}, `oidc.providers[0].client_id: must be set`},
		{"scopes", func(c *Config) {
			p := provider("a")
			p.Scopes = []string{"email"}
			c.OIDC.Providers = []OIDCProvider{p}
		}, `oidc.providers[0].scopes: must include "openid", got ["email"]`},
		{"name claim", func(c *Config) {
			p := provider("a")
			p.NameClaim = ""
			c.OIDC.Providers = []OIDCProvider{p}
		}, `oidc.providers[0].name_claim: must be set`},
		{"allowed domain", func(c *Config) {
			p := provider("a")
			p.AllowedDomains = []string{"example.com", "@evil.com"}
			c.OIDC.Providers = []OIDCProvider{p}
		}, `oidc.providers[0].allowed_domains[1]: must be a domain such as "example.com", got "@evil.com"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := Default()
			tt.change(&c)
			err := c.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.want == "":
			case err == nil:
				t.Fatalf("no error, want %q", tt.want)
			case !strings.Contains(err.Error(), tt.want):
				t.Fatalf("got  %q\nwant %q", err, tt.want)
			case strings.Count(err.Error(), "\n") != 0:
				t.Fatalf("one change gave several problems: %q", err)
			}
		})
	}
}

func TestValidateCollectsEveryProblem(t *testing.T) {
	t.Parallel()
	c := Default()
	c.Server.BaseURL = "foo"
	c.Mail.SMTP.Port = 0
	c.Log.Level = "loud"
	c.Jobs.Expire = "never"
	err := c.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	want := []string{"jobs.expire:", "log.level:", "mail.smtp.port:", "server.base_url:"}
	if len(lines) != len(want) {
		t.Fatalf("got %d problems, want %d: %q", len(lines), len(want), lines)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("problem %d is %q, want it to start with %q", i, lines[i], w)
		}
	}
}
