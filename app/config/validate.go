package config

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/robfig/cron/v3"
)

// problems collects validation messages, each starting with the key it is about.
type problems []string

func (p *problems) add(key, format string, args ...any) {
	*p = append(*p, key+": "+fmt.Sprintf(format, args...))
}

func (p *problems) oneOf(key, got string, allowed ...string) {
	if !slices.Contains(allowed, got) {
		p.add(key, "must be one of %s, got %q", strings.Join(quoteAll(allowed), ", "), got)
	}
}

func (p *problems) atLeast(key string, got, min int64) {
	if got < min {
		p.add(key, "must be at least %d, got %d", min, got)
	}
}

func (p *problems) port(key string, got int) {
	if got < 1 || got > 65535 {
		p.add(key, "must be a port between 1 and 65535, got %d", got)
	}
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = strconv.Quote(v)
	}
	return out
}

var (
	providerID = regexp.MustCompile(`^[a-z0-9-]+$`)
	roleKey    = regexp.MustCompile(`^[a-z0-9_-]+$`)
)

// Validate checks every setting and returns all problems at once, one per line, each naming
// its key, e.g. `server.base_url: must be an absolute http or https URL, got "foo"`.
func (c Config) Validate() error {
	var p problems
	for _, f := range fieldsOf(&c) {
		if d, ok := f.v.Interface().(Duration); ok && d.Duration <= 0 {
			p.add(f.key(), "must be a duration greater than zero, got %q", d.String())
		}
	}
	c.validateServer(&p)
	c.validateMail(&p)
	for _, j := range []struct{ key, spec string }{
		{"jobs.expire", c.Jobs.Expire}, {"jobs.remind", c.Jobs.Remind}, {"jobs.purge", c.Jobs.Purge},
	} {
		if _, err := cron.ParseStandard(j.spec); err != nil {
			p.add(j.key, "must be a cron schedule such as \"@every 10m\" or \"*/5 * * * *\", got %q (%v)", j.spec, err)
		}
	}
	s := c.Security
	if s.PasswordMinLength < 8 || s.PasswordMinLength > 128 {
		p.add("security.password_min_length", "must be between 8 and 128, got %d", s.PasswordMinLength)
	}
	p.atLeast("security.hash_concurrency", int64(s.HashConcurrency), 1)
	p.atLeast("security.login_max_failures", int64(s.LoginMaxFailures), 1)
	if s.SessionAbsolute.Duration < s.SessionIdle.Duration {
		p.add("security.session_absolute", "must not be shorter than security.session_idle (%s), got %q", s.SessionIdle, s.SessionAbsolute.String())
	}
	p.oneOf("security.secure_cookies", s.SecureCookies, "auto", "always", "never")
	p.atLeast("imports.max_rows", int64(c.Imports.MaxRows), 1)
	p.atLeast("imports.max_bytes", c.Imports.MaxBytes, 1)
	p.oneOf("log.level", c.Log.Level, "debug", "info", "warn", "error")
	p.oneOf("log.format", c.Log.Format, "text", "json")
	for key, role := range map[string]string{"scim.role": c.SCIM.Role, "scim.max_role": c.SCIM.MaxRole} {
		if !roleKey.MatchString(role) {
			p.add(key, "must be a role key such as \"member\" (lower-case letters, digits, - and _), got %q", role)
		}
	}
	p.oneOf("scim.delete_mode", c.SCIM.DeleteMode, "delete", "deactivate")
	c.validateOIDC(&p)
	if len(p) == 0 {
		return nil
	}
	slices.Sort(p)
	return errors.New(strings.Join(p, "\n"))
}

func (c Config) validateServer(p *problems) {
	if host, port, err := net.SplitHostPort(c.Server.Addr); err != nil || !validPort(port, true) || strings.ContainsAny(host, " /") {
		p.add("server.addr", "must be host:port or :port, got %q", c.Server.Addr)
	}
	u, err := url.Parse(c.Server.BaseURL)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "":
		p.add("server.base_url", "must be an absolute http or https URL, got %q", c.Server.BaseURL)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(c.Server.BaseURL, "#"):
		p.add("server.base_url", "must not have a query or fragment, got %q", c.Server.BaseURL)
	case u.User != nil:
		p.add("server.base_url", "must not contain a user name or password, got %q", c.Server.BaseURL)
	case strings.HasSuffix(c.Server.BaseURL, "/"):
		p.add("server.base_url", "must not end with a slash, got %q", c.Server.BaseURL)
	}
	p.atLeast("server.max_body_bytes", c.Server.MaxBodyBytes, 1)
	for i, cidr := range c.Server.TrustedProxies {
		if _, err := netip.ParsePrefix(cidr); err != nil {
			p.add(fmt.Sprintf("server.trusted_proxies[%d]", i), "must be a CIDR such as \"10.0.0.0/8\" or \"192.0.2.7/32\", got %q", cidr)
		}
	}
	d := c.Database.URL
	if d == "" {
		p.add("database.url", "must not be empty")
	} else if scheme, _, ok := strings.Cut(d, "://"); ok && scheme != "libsql" && scheme != "http" && scheme != "https" {
		p.add("database.url", "must be a file path, file:PATH, libsql://, http:// or https:// URL, got %q", d)
	} else if !ok && strings.ContainsAny(d, "?#") {
		// A local file takes no options: "file:x.db?mode=ro" would name a file "x.db?mode=ro".
		p.add("database.url", "a local database is a file path without options (no ? or #), got %q", d)
	}
}

func validPort(s string, zeroOK bool) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n <= 65535 && (n >= 1 || (zeroOK && n == 0))
}

func (c Config) validateMail(p *problems) {
	m := c.Mail
	p.oneOf("mail.transport", m.Transport, "file", "smtp")
	if m.Transport == "file" && m.Dir == "" {
		p.add("mail.dir", "must be set when mail.transport is \"file\"")
	}
	if _, err := mail.ParseAddress(m.From); err != nil {
		p.add("mail.from", "must be an address such as \"Lobby <lobby@example.com>\", got %q", m.From)
	}
	p.atLeast("mail.max_attempts", int64(m.MaxAttempts), 1)
	if m.Transport == "smtp" && m.SMTP.Host == "" {
		p.add("mail.smtp.host", "must be set when mail.transport is \"smtp\"")
	}
	p.port("mail.smtp.port", m.SMTP.Port)
	p.oneOf("mail.smtp.tls", m.SMTP.TLS, "starttls", "tls", "none")
}

func (c Config) validateOIDC(p *problems) {
	seen := map[string]bool{}
	for i, pr := range c.OIDC.Providers {
		key := fmt.Sprintf("oidc.providers[%d]", i)
		switch {
		case !providerID.MatchString(pr.ID):
			p.add(key+".id", "must be lower-case letters, digits and -, got %q", pr.ID)
		case seen[pr.ID]:
			p.add(key+".id", "%q is used by another provider; ids must be unique", pr.ID)
		}
		seen[pr.ID] = true
		if msg := checkIssuer(pr.Issuer); msg != "" {
			p.add(key+".issuer", "%s, got %q", msg, pr.Issuer)
		}
		if pr.ClientID == "" {
			p.add(key+".client_id", "must be set")
		}
		if !slices.Contains(pr.Scopes, "openid") {
			p.add(key+".scopes", "must include \"openid\", got %q", pr.Scopes)
		}
		if pr.NameClaim == "" {
			p.add(key+".name_claim", "must be set")
		}
		for j, d := range pr.AllowedDomains {
			if d == "" || strings.ContainsAny(d, "@ /") || !strings.Contains(d, ".") {
				p.add(fmt.Sprintf("%s.allowed_domains[%d]", key, j), "must be a domain such as \"example.com\", got %q", d)
			}
		}
	}
}

// checkIssuer returns why issuer is unusable, or "". Plain http is accepted only on loopback,
// for development and tests.
func checkIssuer(issuer string) string {
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "must be an https URL"
	}
	if u.Scheme == "http" {
		switch u.Hostname() {
		case "localhost", "127.0.0.1", "::1":
		default:
			return "must use https (http is allowed only for localhost and 127.0.0.1)"
		}
	}
	return ""
}
