package config

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// writeFile writes content to name in a fresh temporary folder and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadNothingIsDefault(t *testing.T) {
	t.Parallel()
	c, err := Load("", []string{"PATH=/bin", "HOME=/root", "LOBBY_CONFIG=", "LOBBY_ADMIN_PASSWORD=x", "LOBBYIST=1", "LOBBY_OTHER_THING=1"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c, Default()) {
		t.Fatalf("got %+v", c)
	}
}

func TestLoadFileThenEnv(t *testing.T) {
	t.Parallel()
	path := writeFile(t, "lobby.toml", `
[server]
addr = "127.0.0.1:9000"
base_url = "https://lobby.example.com/"
trusted_proxies = ["10.0.0.0/8"]
[mail]
transport = "smtp"
[mail.smtp]
host = "file-host"
port = 25
`)
	secret := writeFile(t, "pw", "hunter2\n")
	tests := []struct {
		name  string
		env   []string
		check func(c Config) bool
	}{
		{"file alone", nil, func(c Config) bool {
			return c.Server.Addr == "127.0.0.1:9000" && c.Mail.SMTP.Host == "file-host" && c.Mail.SMTP.Port == 25 &&
				c.Mail.Dir == "./data/mail" && c.Server.BaseURL == "https://lobby.example.com"
		}},
		{"string", []string{"LOBBY_SERVER_ADDR=:7000"}, func(c Config) bool { return c.Server.Addr == ":7000" }},
		{"nested table", []string{"LOBBY_MAIL_SMTP_HOST=smtp.example.com"}, func(c Config) bool { return c.Mail.SMTP.Host == "smtp.example.com" }},
		{"int", []string{"LOBBY_MAIL_SMTP_PORT=465"}, func(c Config) bool { return c.Mail.SMTP.Port == 465 }},
		{"int64", []string{"LOBBY_IMPORTS_MAX_BYTES=5000000000"}, func(c Config) bool { return c.Imports.MaxBytes == 5_000_000_000 }},
		{"bool", []string{"LOBBY_JOBS_ENABLED=false"}, func(c Config) bool { return !c.Jobs.Enabled }},
		{"duration", []string{"LOBBY_SECURITY_SESSION_IDLE=90m"}, func(c Config) bool { return c.Security.SessionIdle.Duration == 90*time.Minute }},
		{"list", []string{"LOBBY_SERVER_TRUSTED_PROXIES=192.0.2.0/24, 10.1.0.0/16,"}, func(c Config) bool {
			return slices.Equal(c.Server.TrustedProxies, []string{"192.0.2.0/24", "10.1.0.0/16"})
		}},
		{"base url slash trimmed", []string{"LOBBY_SERVER_BASE_URL=https://x.example/lobby/"}, func(c Config) bool { return c.Server.BaseURL == "https://x.example/lobby" }},
		{"empty value ignored", []string{"LOBBY_MAIL_SMTP_HOST="}, func(c Config) bool { return c.Mail.SMTP.Host == "file-host" }},
		{"last one wins", []string{"LOBBY_LOG_LEVEL=warn", "LOBBY_LOG_LEVEL=debug"}, func(c Config) bool { return c.Log.Level == "debug" }},
		{"secret", []string{"LOBBY_MAIL_SMTP_PASSWORD=pw"}, func(c Config) bool { return c.Mail.SMTP.Password == "pw" }},
		{"secret file", []string{"LOBBY_MAIL_SMTP_PASSWORD_FILE=" + secret}, func(c Config) bool { return c.Mail.SMTP.Password == "hunter2" }},
		{"database token file", []string{"LOBBY_DATABASE_AUTH_TOKEN_FILE=" + secret}, func(c Config) bool { return c.Database.AuthToken == "hunter2" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := Load(path, tt.env)
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(c) {
				t.Fatalf("unexpected config for %v:\n%s", tt.env, c.Dump())
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	secret := writeFile(t, "pw", "hunter2\n")
	empty := writeFile(t, "empty", "\n")
	tests := []struct {
		name, file string
		env        []string
		want       []string
	}{
		{"unknown key", "[server]\nbaseurl = \"x\"\n", nil, []string{"unknown key server.baseurl", "did you mean server.base_url?"}},
		{"unknown table", "[servers]\naddr = \":1\"\n", nil, []string{"unknown key servers"}},
		{"unknown provider key", "[[oidc.providers]]\nid = \"a\"\nclientid = \"x\"\n", nil, []string{"unknown key oidc.providers.clientid", "client_id"}},
		{"wrong type", "[mail.smtp]\nport = \"x\"\n", nil, []string{"mail.smtp.port"}},
		{"bad duration", "[server]\nshutdown_timeout = \"soon\"\n", nil, []string{"shutdown_timeout", `"soon" is not a duration`}},
		{"bad syntax", "[server\n", nil, []string{"config file", "line 2"}},
		{"unknown env", "", []string{"LOBBY_SERVER_ADRR=:1"}, []string{"LOBBY_SERVER_ADRR is not a Lobby setting", "did you mean LOBBY_SERVER_ADDR?"}},
		{"unknown nested env", "", []string{"LOBBY_MAIL_SMTP_HOSTNAME=x"}, []string{"LOBBY_MAIL_SMTP_HOSTNAME is not a Lobby setting"}},
		{"misspelled section", "", []string{"LOBBY_DATABSE_URL=file:x.db"}, []string{"LOBBY_DATABSE_URL is not a Lobby setting", "did you mean LOBBY_DATABASE_URL?"}},
		{"misspelled secret file", "", []string{"LOBBY_DATABSE_AUTH_TOKEN_FILE=/run/token"}, []string{"did you mean LOBBY_DATABASE_AUTH_TOKEN_FILE?"}},
		{"oidc env", "", []string{"LOBBY_OIDC_PROVIDERS_0_ID=x"}, []string{"LOBBY_OIDC_PROVIDERS_0_ID", "TOML file only"}},
		{"env bad int", "", []string{"LOBBY_MAIL_SMTP_PORT=twenty"}, []string{`LOBBY_MAIL_SMTP_PORT (mail.smtp.port): "twenty" is not a whole number`}},
		{"env bad bool", "", []string{"LOBBY_JOBS_ENABLED=yes"}, []string{`LOBBY_JOBS_ENABLED (jobs.enabled): "yes" is not true or false`}},
		{"env bad duration", "", []string{"LOBBY_SECURITY_LOGIN_WINDOW=15"}, []string{"LOBBY_SECURITY_LOGIN_WINDOW (security.login_window)", "not a duration"}},
		{"file for non-secret", "", []string{"LOBBY_SERVER_ADDR_FILE=" + secret}, []string{"LOBBY_SERVER_ADDR_FILE: only secrets"}},
		{"secret and file", "", []string{"LOBBY_MAIL_SMTP_PASSWORD=a", "LOBBY_MAIL_SMTP_PASSWORD_FILE=" + secret}, []string{"not both"}},
		{"missing secret file", "", []string{"LOBBY_MAIL_SMTP_PASSWORD_FILE=/nonexistent/pw"}, []string{"LOBBY_MAIL_SMTP_PASSWORD_FILE: cannot read the secret file"}},
		{"empty secret file", "", []string{"LOBBY_DATABASE_AUTH_TOKEN_FILE=" + empty}, []string{"LOBBY_DATABASE_AUTH_TOKEN_FILE", "is empty"}},
		{"all env problems at once", "", []string{"LOBBY_SERVER_X=1", "LOBBY_LOG_Y=2"}, []string{"LOBBY_SERVER_X", "LOBBY_LOG_Y"}},
		{"provider secret twice", "[[oidc.providers]]\nclient_secret = \"a\"\nclient_secret_file = \"x\"\n", nil, []string{"oidc.providers[0]: set client_secret or client_secret_file, not both"}},
		{"provider secret file missing", "[[oidc.providers]]\nclient_secret_file = \"nope\"\n", nil, []string{"oidc.providers[0].client_secret_file: cannot read"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := ""
			if tt.file != "" {
				path = writeFile(t, "lobby.toml", tt.file)
			}
			_, err := Load(path, tt.env)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestLoadProviders(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "acme.secret"), []byte("abc\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "lobby.toml")
	err := os.WriteFile(path, []byte(`
[[oidc.providers]]
id = "acme"
issuer = "https://login.acme.example"
client_id = "lobby"
client_secret_file = "acme.secret"
allowed_domains = [" Acme.Example "]

[[oidc.providers]]
id = "dev"
name = "Dev IdP"
issuer = "http://127.0.0.1:5556"
client_id = "c"
client_secret = "inline"
scopes = ["openid"]
name_claim = "preferred_username"
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	want := []OIDCProvider{
		{ID: "acme", Name: "acme", Issuer: "https://login.acme.example", ClientID: "lobby", ClientSecret: "abc",
			ClientSecretFile: "acme.secret", Scopes: []string{"openid", "email", "profile"}, AllowedDomains: []string{"acme.example"}, NameClaim: "name"},
		{ID: "dev", Name: "Dev IdP", Issuer: "http://127.0.0.1:5556", ClientID: "c", ClientSecret: "inline",
			Scopes: []string{"openid"}, AllowedDomains: []string{}, NameClaim: "preferred_username"},
	}
	if !reflect.DeepEqual(c.OIDC.Providers, want) {
		t.Fatalf("got  %+v\nwant %+v", c.OIDC.Providers, want)
	}
	// The default scopes are copied, not shared.
	c.OIDC.Providers[0].Scopes[0] = "changed"
	if DefaultScopes[0] != "openid" {
		t.Fatal("DefaultScopes was modified through a provider")
	}
}

func TestEnvNamesAreUnique(t *testing.T) {
	t.Parallel()
	c := Default()
	seen := map[string]string{}
	for _, f := range fieldsOf(&c) {
		if other, dup := seen[f.env]; dup {
			t.Errorf("%s and %s share the variable %s", other, f.key(), f.env)
		}
		seen[f.env] = f.key()
	}
	if seen["LOBBY_MAIL_SMTP_HOST"] != "mail.smtp.host" || seen["LOBBY_SERVER_BASE_URL"] != "server.base_url" {
		t.Fatalf("unexpected names: %v", seen)
	}
}

func TestDuration(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"168h": "168h", "15m": "15m", "90m": "1h30m", "1.5s": "1.5s", "3600s": "1h", "0s": "0s", "1h0m1s": "1h0m1s"} {
		var d Duration
		if err := d.UnmarshalText([]byte(in)); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if b, _ := d.MarshalText(); string(b) != want {
			t.Errorf("%s came back as %s, want %s", in, b, want)
		}
	}
	var d Duration
	if err := d.UnmarshalText([]byte("7d")); err == nil || !strings.Contains(err.Error(), `"7d" is not a duration`) {
		t.Fatalf("7d: %v", err)
	}
}
