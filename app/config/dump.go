package config

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/BurntSushi/toml"
)

// Mask is what Dump shows instead of a secret that is set.
const Mask = "********"

// Dump returns the effective configuration as TOML, in the layout of config.example.toml,
// with every secret that is set shown as Mask. An unset secret shows as "".
func (c Config) Dump() string {
	c.OIDC.Providers = slices.Clone(c.OIDC.Providers)
	for _, f := range fieldsOf(&c) {
		if f.secret && f.v.String() != "" {
			f.v.SetString(Mask)
		}
	}
	for i := range c.OIDC.Providers {
		if c.OIDC.Providers[i].ClientSecret != "" {
			c.OIDC.Providers[i].ClientSecret = Mask
		}
	}
	var b bytes.Buffer
	enc := toml.NewEncoder(&b)
	enc.Indent = ""
	if err := enc.Encode(c); err != nil {
		// Config holds only strings, numbers, booleans, lists and Durations: encoding cannot fail.
		return fmt.Sprintf("# cannot encode the configuration: %v\n", err)
	}
	return b.String()
}
