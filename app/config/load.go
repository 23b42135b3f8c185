package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// Load builds the effective configuration: Default, then the TOML file at path (skipped when
// path is empty), then LOBBY_<SECTION>_<KEY> variables from environ ("KEY=value" strings, as
// os.Environ gives), then LOBBY_<SECTION>_<KEY>_FILE for secrets. Variables with an empty
// value are ignored. Unknown keys in the file and unknown LOBBY_ variables that name a section
// are errors. Load trims a trailing slash from server.base_url and fills OIDC provider
// defaults; it does not validate: call Validate.
func Load(path string, environ []string) (Config, error) {
	c := Default()
	if path != "" {
		if err := c.loadFile(path); err != nil {
			return c, err
		}
	}
	if err := c.applyEnv(environ); err != nil {
		return c, err
	}
	c.normalise()
	return c, nil
}

// loadFile decodes the TOML file at path over c and reads the providers' secret files.
func (c *Config) loadFile(path string) error {
	md, err := toml.DecodeFile(path, c)
	if err != nil {
		return fmt.Errorf("config file %s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		known := Keys()
		var errs []error
		for _, k := range und {
			msg := fmt.Sprintf("config file %s: unknown key %s", path, k)
			if s := closest(k.String(), known); s != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", s)
			}
			errs = append(errs, errors.New(msg))
		}
		return errors.Join(errs...)
	}
	var errs []error
	for i := range c.OIDC.Providers {
		p := &c.OIDC.Providers[i]
		if p.ClientSecretFile == "" {
			continue
		}
		key := fmt.Sprintf("oidc.providers[%d]", i)
		if p.ClientSecret != "" {
			errs = append(errs, fmt.Errorf("%s: set client_secret or client_secret_file, not both", key))
			continue
		}
		file := p.ClientSecretFile
		if !filepath.IsAbs(file) {
			file = filepath.Join(filepath.Dir(path), file)
		}
		s, err := readSecret(file)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s.client_secret_file: %w", key, err))
			continue
		}
		p.ClientSecret = s
	}
	return errors.Join(errs...)
}

// applyEnv sets the fields named by LOBBY_ variables in environ.
func (c *Config) applyEnv(environ []string) error {
	vars := map[string]string{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "LOBBY_") {
			vars[k] = v
		}
	}
	byEnv := map[string]field{}
	for _, f := range fieldsOf(c) {
		byEnv[f.env] = f
	}
	names := make([]string, 0, len(vars))
	for k := range vars {
		names = append(names, k)
	}
	sort.Strings(names)
	var errs []error
	for _, name := range names {
		val := vars[name]
		if name == "LOBBY_CONFIG" || name == "LOBBY_ADMIN_PASSWORD" {
			continue
		}
		if f, ok := byEnv[name]; ok {
			if val == "" {
				continue
			}
			if err := setText(f.v, val); err != nil {
				errs = append(errs, fmt.Errorf("%s (%s): %w", name, f.key(), err))
			}
			continue
		}
		if base, ok := strings.CutSuffix(name, "_FILE"); ok {
			if f, ok := byEnv[base]; ok {
				errs = append(errs, c.applySecretFile(f, name, val, vars))
				continue
			}
		}
		if err := unknownVar(name); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// applySecretFile handles LOBBY_<KEY>_FILE=path for the setting f.
func (c *Config) applySecretFile(f field, name, path string, vars map[string]string) error {
	if !f.secret {
		return fmt.Errorf("%s: only secrets can be read from a file; set %s instead", name, f.env)
	}
	if v, both := vars[f.env]; both && v != "" {
		return fmt.Errorf("%s: set %s or %s, not both", name, f.env, name)
	}
	if path == "" {
		return nil
	}
	s, err := readSecret(path)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	f.v.SetString(s)
	return nil
}

// unknownVar reports a LOBBY_ variable that names a section but no setting of it, or that is
// one or two letters from a setting's variable (LOBBY_DATABSE_URL). Other variables belong to
// someone else and are left alone.
func unknownVar(name string) error {
	rest := strings.ToLower(strings.TrimPrefix(name, "LOBBY_"))
	section, _, _ := strings.Cut(rest, "_")
	var envs []string
	c := Default()
	for _, f := range fieldsOf(&c) {
		envs = append(envs, f.env)
		if f.secret {
			envs = append(envs, f.env+"_FILE")
		}
	}
	near := closest(name, envs)
	if !slices.Contains(sections(), section) && near == "" {
		return nil
	}
	if section == "oidc" {
		return fmt.Errorf("%s: OIDC providers are configured in the TOML file only ([[oidc.providers]])", name)
	}
	msg := fmt.Sprintf("%s is not a Lobby setting", name)
	if near != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", near)
	}
	return errors.New(msg)
}

// readSecret reads a secret file, trimming one trailing newline.
func readSecret(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("cannot read the secret file: %w", err)
	}
	s := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if s == "" {
		return "", fmt.Errorf("the secret file %s is empty", path)
	}
	return s, nil
}

// normalise trims base_url's trailing slash and fills the providers' defaults.
func (c *Config) normalise() {
	c.Server.BaseURL = strings.TrimRight(c.Server.BaseURL, "/")
	for i := range c.OIDC.Providers {
		p := &c.OIDC.Providers[i]
		if p.Name == "" {
			p.Name = p.ID
		}
		if p.Scopes == nil {
			p.Scopes = slices.Clone(DefaultScopes)
		}
		if p.AllowedDomains == nil {
			p.AllowedDomains = []string{}
		}
		for j, d := range p.AllowedDomains {
			p.AllowedDomains[j] = strings.ToLower(strings.TrimSpace(d))
		}
		if p.NameClaim == "" {
			p.NameClaim = "name"
		}
	}
}
