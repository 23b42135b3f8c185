package scim

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	scimerr "github.com/elimity-com/scim/errors"
)

// limitBody reads the whole body, refusing one larger than the limit with 413, and hands the
// bytes on so later steps can look at them.
func (h *handler) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > h.maxBody {
			tooLarge(w, h.maxBody)
			return
		}
		var b []byte
		if r.Body != nil {
			var err error
			b, err = io.ReadAll(http.MaxBytesReader(w, r.Body, h.maxBody))
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				tooLarge(w, h.maxBody)
				return
			}
			if err != nil {
				writeError(w, scimerr.ScimErrorInvalidSyntax)
				return
			}
		}
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
		next.ServeHTTP(w, r)
	})
}

func tooLarge(w http.ResponseWriter, limit int64) {
	writeError(w, scimerr.ScimError{Status: http.StatusRequestEntityTooLarge,
		Detail: "The request body is larger than " + strconv.FormatInt(limit, 10) + " bytes."})
}

// rewrite answers ServiceProviderConfig itself, turns POST …/.search into the equivalent GET,
// and puts Entra's filters and manager values in the forms the library accepts.
func (h *handler) rewrite(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := strings.TrimPrefix(r.URL.Path, "/v2")
		if path == "/ServiceProviderConfig" {
			if r.Method != http.MethodGet {
				writeError(w, scimerr.ScimError{Status: http.StatusMethodNotAllowed, Detail: "ServiceProviderConfig is read with GET."})
				return
			}
			b, _ := json.Marshal(h.serviceProviderConfig())
			w.Header().Set("Content-Type", "application/scim+json")
			_, _ = w.Write(b)
			return
		}
		body, _ := io.ReadAll(r.Body)
		r2 := new(http.Request)
		*r2 = *r
		u := *r.URL
		r2.URL = &u
		if r.Method == http.MethodPost && strings.HasSuffix(path, "/.search") {
			q, err := searchQuery(body)
			if err != nil {
				writeError(w, badValue(err.Error()))
				return
			}
			r2.Method, body = http.MethodGet, nil
			u.Path = strings.TrimSuffix(u.Path, ".search")
			if u.Path != "/v2/" && u.Path != "/" {
				u.Path = strings.TrimSuffix(u.Path, "/")
			}
			u.RawQuery = q.Encode()
		}
		if q := u.Query(); q.Get("filter") != "" {
			if f := entraFilter(q.Get("filter")); f != q.Get("filter") {
				q.Set("filter", f)
				u.RawQuery = q.Encode()
			}
		}
		r2 = quickFilter(r2, strings.TrimPrefix(u.Path, "/v2"), &u)
		if len(body) > 0 && strings.HasPrefix(path, "/Users") && bytes.Contains(bytes.ToLower(body), []byte("manager")) {
			body = managerObjects(body)
		}
		r2.Body, r2.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
		next.ServeHTTP(w, r2)
	})
}

// searchRequest is the body of POST …/.search (RFC 7644 3.4.3).
type searchRequest struct {
	Schemas            []string `json:"schemas"`
	Attributes         []string `json:"attributes"`
	ExcludedAttributes []string `json:"excludedAttributes"`
	Filter             string   `json:"filter"`
	SortBy             string   `json:"sortBy"`
	SortOrder          string   `json:"sortOrder"`
	StartIndex         *int     `json:"startIndex"`
	Count              *int     `json:"count"`
}

// searchQuery turns a search body into the query parameters of the equivalent GET.
func searchQuery(body []byte) (url.Values, error) {
	var s searchRequest
	if err := json.Unmarshal(body, &s); err != nil {
		return nil, errors.New("the search request is not valid JSON: " + err.Error())
	}
	ok := false
	for _, id := range s.Schemas {
		ok = ok || id == "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
	}
	if !ok {
		return nil, errors.New(`a search request must list the schema "urn:ietf:params:scim:api:messages:2.0:SearchRequest"`)
	}
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("attributes", strings.Join(s.Attributes, ","))
	set("excludedAttributes", strings.Join(s.ExcludedAttributes, ","))
	set("filter", s.Filter)
	set("sortBy", s.SortBy)
	set("sortOrder", s.SortOrder)
	if s.StartIndex != nil {
		q.Set("startIndex", strconv.Itoa(*s.StartIndex))
	}
	if s.Count != nil {
		q.Set("count", strconv.Itoa(*s.Count))
	}
	return q, nil
}

// entraForm is Entra ID's emails[type eq "work"].value eq "x", which is not SCIM grammar.
var entraForm = regexp.MustCompile(`(?is)^\s*([a-z][\w:.-]*)\[([^\[\]]+)\]\.([a-z]\w*)\s+` +
	`(?:(pr)|(eq|ne|co|sw|ew|gt|ge|lt|le)\s+("(?:[^"\\]|\\.)*"|true|false|null|-?[\d.]+))\s*$`)

// entraFilter rewrites Entra's form into the equivalent emails[type eq "work" and value eq "x"].
// Anything else passes unchanged.
func entraFilter(f string) string {
	m := entraForm.FindStringSubmatch(f)
	if m == nil {
		return f
	}
	if m[4] != "" {
		return m[1] + "[" + m[2] + " and " + m[3] + " pr]"
	}
	return m[1] + "[" + m[2] + " and " + m[3] + " " + m[5] + " " + m[6] + "]"
}

// managerObjects turns Entra's manager given as a plain id into {"value": id}, in a user body
// or in the operations of a PATCH. Bodies that are not JSON objects pass unchanged.
func managerObjects(body []byte) []byte {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var doc map[string]any
	if d.Decode(&doc) != nil {
		return body
	}
	changed := fixManager(doc)
	if ops, ok := doc["Operations"].([]any); ok {
		for _, o := range ops {
			op, ok := o.(map[string]any)
			if !ok {
				continue
			}
			path, _ := op["path"].(string)
			if s, isStr := op["value"].(string); isStr && strings.EqualFold(path, enterpriseURN+":manager") {
				op["value"], changed = map[string]any{"value": s}, true
			}
			if v, ok := op["value"].(map[string]any); ok && fixManager(v) {
				changed = true
			}
		}
	}
	if !changed {
		return body
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return body
	}
	return b
}

// fixManager rewrites a string manager inside an object that holds the enterprise extension
// or its fully qualified manager attribute.
func fixManager(m map[string]any) bool {
	changed := false
	for k, v := range m {
		s, isStr := v.(string)
		if isStr && strings.EqualFold(k, enterpriseURN+":manager") {
			m[k], changed = map[string]any{"value": s}, true
		}
		if ext, ok := v.(map[string]any); ok && strings.EqualFold(k, enterpriseURN) {
			for ek, ev := range ext {
				if s, isStr := ev.(string); isStr && strings.EqualFold(ek, "manager") {
					ext[ek], changed = map[string]any{"value": s}, true
				}
			}
		}
	}
	return changed
}
