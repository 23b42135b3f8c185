package scim

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// recorder keeps the library's answer so shape can finish it.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

// shape finishes the library's successful JSON answers: list responses get itemsPerPage equal
// to the number of resources and never a null Resources; every resource is cut down to the
// attributes and excludedAttributes asked for; no answer ever carries a password; and a GET
// whose If-None-Match names the current version gets 304.
func (h *handler) shape(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{header: http.Header{}}
		n := &listCount{n: -1}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), listCountKey{}, n)))
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		etag := rec.header.Get("Etag")
		if r.Method == http.MethodGet && rec.status == http.StatusOK && etag != "" && r.Header.Get("If-None-Match") != "" &&
			versionIn(r.Header.Get("If-None-Match"), etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		body := rec.body.Bytes()
		if (rec.status == http.StatusOK || rec.status == http.StatusCreated) && len(body) > 0 && body[0] == '{' {
			if b, ok := shapeBody(body, newSelection(r), n.n); ok {
				body = b
			}
		}
		if rec.status != http.StatusNoContent {
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		}
		w.WriteHeader(rec.status)
		_, _ = w.Write(body)
	})
}

// versionIn reports whether one of the comma-separated tags in list equals tag, weakly.
func versionIn(list, tag string) bool {
	tag = strings.TrimPrefix(tag, "W/")
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == tag {
			return true
		}
	}
	return false
}

func shapeBody(body []byte, sel selection, listed int) ([]byte, bool) {
	if len(sel.include) == 0 && len(sel.exclude) == 0 && !mentionsPassword(body) {
		if listed >= 0 {
			return setItemsPerPage(body, listed)
		}
		return countItems(body)
	}
	return reshape(body, sel)
}

// mentionsPassword reports whether "password" appears in body in any ASCII case, without
// lowering a copy of the whole answer first.
func mentionsPassword(body []byte) bool {
	const word = "password"
	for i := 0; i+len(word) <= len(body); i++ {
		j := 0
		for j < len(word) && body[i+j]|0x20 == word[j] {
			j++
		}
		if j == len(word) {
			return true
		}
	}
	return false
}

// reshape decodes the answer, applies sel and drops passwords in every resource.
func reshape(body []byte, sel selection) ([]byte, bool) {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var doc map[string]any
	if d.Decode(&doc) != nil {
		return nil, false
	}
	if _, isList := doc["totalResults"]; isList {
		list, _ := doc["Resources"].([]any)
		if list == nil {
			list = []any{}
		}
		for i, res := range list {
			if m, ok := res.(map[string]any); ok {
				list[i] = sel.apply(m)
			}
		}
		doc["Resources"], doc["itemsPerPage"] = list, len(list)
	} else if _, isResource := doc["id"]; isResource {
		doc = sel.apply(doc)
	}
	b, err := json.Marshal(doc)
	return b, err == nil
}

// listCount carries the number of resources a GetAll put on its page from the handler to
// shape, which then need not parse the answer to count them.
type listCount struct{ n int }

type listCountKey struct{}

// counted records how many resources a list answer holds.
func counted(r *http.Request, n int) {
	if c, ok := r.Context().Value(listCountKey{}).(*listCount); ok {
		c.n = n
	}
}

// setItemsPerPage writes n as the list's itemsPerPage. The library writes its list as a map,
// so the top-level keys come sorted and itemsPerPage follows the Resources array: its last
// occurrence is the top-level one (inside strings a quote is always escaped).
func setItemsPerPage(body []byte, n int) ([]byte, bool) {
	key := []byte(`"itemsPerPage":`)
	i := bytes.LastIndex(body, key)
	if i < 0 || !bytes.HasPrefix(body, []byte(`{"Resources":[`)) {
		return countItems(body)
	}
	i += len(key)
	j := i
	for j < len(body) && body[j] >= '0' && body[j] <= '9' {
		j++
	}
	out := make([]byte, 0, len(body)+8)
	out = append(append(append(out, body[:i]...), strconv.Itoa(n)...), body[j:]...)
	return out, true
}

// countItems is shapeBody for the common answer with nothing to cut out: only a list's
// itemsPerPage and null Resources need mending, and its resources stay as the library wrote
// them instead of being decoded and encoded again.
func countItems(body []byte) ([]byte, bool) {
	var doc map[string]json.RawMessage
	if json.Unmarshal(body, &doc) != nil {
		return nil, false
	}
	if _, isList := doc["totalResults"]; !isList {
		return body, true
	}
	var list []json.RawMessage
	if raw := doc["Resources"]; len(raw) > 0 && json.Unmarshal(raw, &list) != nil {
		return nil, false
	}
	if list == nil {
		list = []json.RawMessage{}
	}
	doc["Resources"], _ = json.Marshal(list)
	doc["itemsPerPage"] = []byte(strconv.Itoa(len(list)))
	b, err := json.Marshal(doc)
	return b, err == nil
}

// dropPasswords removes every "password" key, at any depth.
func dropPasswords(v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if strings.EqualFold(k, "password") {
				delete(v, k)
				continue
			}
			dropPasswords(e)
		}
	case []any:
		for _, e := range v {
			dropPasswords(e)
		}
	}
}
