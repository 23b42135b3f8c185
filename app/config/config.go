package config

import "time"

// Config is every setting of one Lobby instance. Its TOML keys are the snake_case tags; each
// leaf is also the environment variable LOBBY_<SECTION>_<KEY> (LOBBY_MAIL_SMTP_HOST for nested
// tables). Fields tagged secret:"true" also accept LOBBY_<SECTION>_<KEY>_FILE and are masked by Dump.
type Config struct {
	Server   Server   `toml:"server"`
	Database Database `toml:"database"`
	Mail     Mail     `toml:"mail"`
	Jobs     Jobs     `toml:"jobs"`
	Security Security `toml:"security"`
	Imports  Imports  `toml:"imports"`
	Log      Log      `toml:"log"`
	SCIM     SCIM     `toml:"scim"`
	OIDC     OIDC     `toml:"oidc" env:"-"`
}

// Server is the [server] table: where Lobby listens and the public address links are built from.
type Server struct {
	Addr            string   `toml:"addr"`
	BaseURL         string   `toml:"base_url"`
	MaxBodyBytes    int64    `toml:"max_body_bytes"`
	ShutdownTimeout Duration `toml:"shutdown_timeout"`
	// TrustedProxies lists the CIDRs whose X-Forwarded-For is believed, for the client IP used
	// in throttling only.
	TrustedProxies []string `toml:"trusted_proxies"`
}

// Database is the [database] table.
type Database struct {
	URL         string   `toml:"url"`
	AuthToken   string   `toml:"auth_token" secret:"true"`
	BusyTimeout Duration `toml:"busy_timeout"`
}

// Mail is the [mail] table: how mail leaves Lobby.
type Mail struct {
	// Transport is "file" (write .eml files to Dir) or "smtp".
	Transport   string `toml:"transport"`
	Dir         string `toml:"dir"`
	From        string `toml:"from"`
	MaxAttempts int    `toml:"max_attempts"`
	SMTP        SMTP   `toml:"smtp"`
}

// SMTP is the [mail.smtp] table.
type SMTP struct {
	Host     string `toml:"host"`
	Port     int    `toml:"port"`
	Username string `toml:"username"`
	Password string `toml:"password" secret:"true"`
	// TLS is "starttls", "tls" (implicit TLS, usually port 465) or "none".
	TLS     string   `toml:"tls"`
	Timeout Duration `toml:"timeout"`
}

// Jobs is the [jobs] table: the cron schedules of the named jobs.
type Jobs struct {
	Enabled bool   `toml:"enabled"`
	Expire  string `toml:"expire"`
	Remind  string `toml:"remind"`
	Purge   string `toml:"purge"`
}

// Security is the [security] table.
type Security struct {
	SessionIdle       Duration `toml:"session_idle"`
	SessionAbsolute   Duration `toml:"session_absolute"`
	PasswordMinLength int      `toml:"password_min_length"`
	HashConcurrency   int      `toml:"hash_concurrency"`
	LoginMaxFailures  int      `toml:"login_max_failures"`
	LoginWindow       Duration `toml:"login_window"`
	// SecureCookies is "auto" (Secure when base_url is https), "always" or "never".
	SecureCookies string `toml:"secure_cookies"`
}

// Imports is the [imports] table: limits on CSV uploads.
type Imports struct {
	MaxRows  int   `toml:"max_rows"`
	MaxBytes int64 `toml:"max_bytes"`
}

// Log is the [log] table.
type Log struct {
	Level  string `toml:"level"`
	Format string `toml:"format"`
}

// SCIM is the [scim] table: what SCIM provisioning may do.
type SCIM struct {
	Role         string `toml:"role"`
	MaxRole      string `toml:"max_role"`
	DeleteMode   string `toml:"delete_mode"`
	WelcomeEmail bool   `toml:"welcome_email"`
}

// OIDC is the [oidc] table. Providers come from the TOML file only.
type OIDC struct {
	Providers []OIDCProvider `toml:"providers,omitempty"`
}

// OIDCProvider is one [[oidc.providers]] entry. Its redirect URI is
// {base_url}/auth/oidc/{id}/callback.
type OIDCProvider struct {
	ID           string `toml:"id"`
	Name         string `toml:"name"`
	Issuer       string `toml:"issuer"`
	ClientID     string `toml:"client_id"`
	ClientSecret string `toml:"client_secret" secret:"true"`
	// ClientSecretFile names a file whose content (trailing newline trimmed) becomes
	// ClientSecret when Load reads the config.
	ClientSecretFile string   `toml:"client_secret_file"`
	Scopes           []string `toml:"scopes"`
	AllowedDomains   []string `toml:"allowed_domains"`
	NameClaim        string   `toml:"name_claim"`
}

// DefaultScopes are the scopes of a provider that names none.
var DefaultScopes = []string{"openid", "email", "profile"}

// Default is the configuration of `lobby` run with no file and no environment: listen on
// :8080, data in ./data/lobby.db, mail written as .eml files to ./data/mail.
func Default() Config {
	return Config{
		Server: Server{
			Addr:            ":8080",
			BaseURL:         "http://localhost:8080",
			MaxBodyBytes:    1 << 20,
			ShutdownTimeout: D(15 * time.Second),
			TrustedProxies:  []string{},
		},
		Database: Database{URL: "file:./data/lobby.db", BusyTimeout: D(5 * time.Second)},
		Mail: Mail{
			Transport:   "file",
			Dir:         "./data/mail",
			From:        "Lobby <lobby@localhost>",
			MaxAttempts: 8,
			SMTP:        SMTP{Port: 587, TLS: "starttls", Timeout: D(10 * time.Second)},
		},
		Jobs: Jobs{Enabled: true, Expire: "@every 1m", Remind: "@every 10m", Purge: "@every 1h"},
		Security: Security{
			SessionIdle:       D(12 * time.Hour),
			SessionAbsolute:   D(720 * time.Hour),
			PasswordMinLength: 8,
			HashConcurrency:   2,
			LoginMaxFailures:  10,
			LoginWindow:       D(15 * time.Minute),
			SecureCookies:     "auto",
		},
		Imports: Imports{MaxRows: 100000, MaxBytes: 20 << 20},
		Log:     Log{Level: "info", Format: "text"},
		SCIM:    SCIM{Role: "member", MaxRole: "member", DeleteMode: "delete"},
	}
}
