package config

import (
	"reflect"
	"strings"
)

// field is one leaf setting reached by walking Config: its TOML path, its environment name
// and whether it is a secret.
type field struct {
	path   []string
	env    string
	secret bool
	v      reflect.Value
}

// key is the dotted TOML key, e.g. "mail.smtp.host".
func (f field) key() string { return strings.Join(f.path, ".") }

var durationType = reflect.TypeFor[Duration]()

// leaves lists the leaf settings of the struct v points into, in declaration order. Tables
// tagged env:"-" (the OIDC providers) are left out: they have no environment variables.
func leaves(v reflect.Value, prefix []string) []field {
	var out []field
	t := v.Type()
	for i := range t.NumField() {
		sf := t.Field(i)
		name := strings.Split(sf.Tag.Get("toml"), ",")[0]
		if name == "" || name == "-" || sf.Tag.Get("env") == "-" {
			continue
		}
		path := append(append([]string(nil), prefix...), name)
		fv := v.Field(i)
		if sf.Type.Kind() == reflect.Struct && sf.Type != durationType {
			out = append(out, leaves(fv, path)...)
			continue
		}
		out = append(out, field{
			path:   path,
			env:    "LOBBY_" + strings.ToUpper(strings.Join(path, "_")),
			secret: sf.Tag.Get("secret") == "true",
			v:      fv,
		})
	}
	return out
}

// fieldsOf lists the leaf settings of c, addressable so they can be set.
func fieldsOf(c *Config) []field { return leaves(reflect.ValueOf(c).Elem(), nil) }

// sections are the top-level table names, the first word after LOBBY_ of a setting's variable.
func sections() []string {
	t := reflect.TypeFor[Config]()
	out := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		out = append(out, strings.Split(t.Field(i).Tag.Get("toml"), ",")[0])
	}
	return out
}

// Keys lists every dotted key Lobby reads from the environment and the top-level tables, such
// as "server.addr" and "mail.smtp.host", in declaration order. OIDC provider keys are listed
// as "oidc.providers.<key>".
func Keys() []string {
	c := Default()
	var out []string
	for _, f := range fieldsOf(&c) {
		out = append(out, f.key())
	}
	pt := reflect.TypeFor[OIDCProvider]()
	for i := range pt.NumField() {
		out = append(out, "oidc.providers."+strings.Split(pt.Field(i).Tag.Get("toml"), ",")[0])
	}
	return out
}
