package scim

import (
	"net/http"
	"strings"
)

// selection is the attributes and excludedAttributes a request asks for (RFC 7644 3.4.2.5):
// lower-case attribute paths such as "username", "name.givenname" or
// "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:department".
type selection struct {
	include, exclude []string
}

func newSelection(r *http.Request) selection {
	q := r.URL.Query()
	return selection{include: attrPaths(q["attributes"]), exclude: attrPaths(q["excludedAttributes"])}
}

// attrPaths splits comma-separated attribute lists and drops the core schema prefixes, which
// name top-level attributes.
func attrPaths(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, p := range strings.Split(v, ",") {
			p = strings.ToLower(strings.TrimSpace(p))
			for _, core := range []string{userURN, groupURN} {
				p = strings.TrimPrefix(p, strings.ToLower(core)+":")
			}
			if p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// excludes reports whether the selection leaves out the top-level attribute name.
func (s selection) excludes(name string) bool {
	name = strings.ToLower(name)
	for _, p := range s.exclude {
		if p == name {
			return true
		}
	}
	if len(s.include) == 0 {
		return false
	}
	for _, p := range s.include {
		if p == name || strings.HasPrefix(p, name+".") {
			return false
		}
	}
	return true
}

// apply cuts a resource down to the selection. id and schemas are always returned.
func (s selection) apply(res map[string]any) map[string]any {
	dropPasswords(res)
	if len(s.include) > 0 {
		out := map[string]any{}
		for _, k := range []string{"id", "schemas"} {
			if v, ok := res[k]; ok {
				out[k] = v
			}
		}
		for _, p := range s.include {
			copyPath(res, out, p)
		}
		res = out
	}
	for _, p := range s.exclude {
		if p != "id" && p != "schemas" {
			deletePath(res, p)
		}
	}
	return res
}

// locate finds the object holding path p inside res (res itself or an extension object) and
// the attribute and sub-attribute p names in it.
func locate(res map[string]any, p string) (holder string, attr, sub string) {
	if strings.HasPrefix(p, "urn:") {
		for k := range res {
			lk := strings.ToLower(k)
			if !strings.HasPrefix(lk, "urn:") {
				continue
			}
			if p == lk {
				return "", k, ""
			}
			if strings.HasPrefix(p, lk+":") {
				attr, sub, _ = strings.Cut(p[len(lk)+1:], ".")
				return k, attr, sub
			}
		}
		return "", "", ""
	}
	attr, sub, _ = strings.Cut(p, ".")
	return "", attr, sub
}

func copyPath(src, dst map[string]any, p string) {
	holder, attr, sub := locate(src, p)
	if attr == "" {
		return
	}
	if holder != "" {
		inner, ok := src[holder].(map[string]any)
		if !ok {
			return
		}
		d, ok := dst[holder].(map[string]any)
		if !ok {
			d = map[string]any{}
			dst[holder] = d
		}
		src, dst = inner, d
	}
	key := findKey(src, attr)
	if key == "" {
		return
	}
	if sub == "" {
		dst[key] = src[key]
		return
	}
	switch v := src[key].(type) {
	case map[string]any:
		d, ok := dst[key].(map[string]any)
		if !ok {
			d = map[string]any{}
		}
		if sk := findKey(v, sub); sk != "" {
			d[sk] = v[sk]
		}
		dst[key] = d
	case []any:
		d, ok := dst[key].([]any)
		if !ok || len(d) != len(v) {
			d = make([]any, len(v))
			for i := range d {
				d[i] = map[string]any{}
			}
		}
		for i, item := range v {
			im, ok1 := item.(map[string]any)
			dm, ok2 := d[i].(map[string]any)
			if sk := findKey(im, sub); ok1 && ok2 && sk != "" {
				dm[sk] = im[sk]
			}
		}
		dst[key] = d
	}
}

func deletePath(res map[string]any, p string) {
	holder, attr, sub := locate(res, p)
	if attr == "" {
		return
	}
	if holder != "" {
		inner, ok := res[holder].(map[string]any)
		if !ok {
			return
		}
		res = inner
	}
	key := findKey(res, attr)
	if key == "" {
		return
	}
	if sub == "" {
		delete(res, key)
		return
	}
	switch v := res[key].(type) {
	case map[string]any:
		if sk := findKey(v, sub); sk != "" {
			delete(v, sk)
		}
	case []any:
		for _, item := range v {
			if im, ok := item.(map[string]any); ok {
				if sk := findKey(im, sub); sk != "" {
					delete(im, sk)
				}
			}
		}
	}
}

// findKey returns the key of m that equals name ignoring case, or "".
func findKey(m map[string]any, name string) string {
	if _, ok := m[name]; ok {
		return name
	}
	for k := range m {
		if strings.EqualFold(k, name) {
			return k
		}
	}
	return ""
}
