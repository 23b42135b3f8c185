package scim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	scimerr "github.com/elimity-com/scim/errors"
	"github.com/scim2/filter-parser/v2"
)

const patchURN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

// explain answers the commonest mistakes in a request with an error that names what was wrong
// (the schemas, the operation, the attribute), before the library, whose own errors only say
// that something was; a request without them goes on unchanged.
func (h *handler) explain(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/v2"), "/")
		kind, rest, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
		var k *resourceKind
		switch kind {
		case "Users":
			k = &userKind
		case "Groups":
			k = &groupKind
		default:
			next.ServeHTTP(w, r)
			return
		}
		var problem *scimerr.ScimError
		switch {
		case r.Method == http.MethodGet && rest == "":
			problem = explainFilter(r.URL.Query().Get("filter"), *k)
		case r.Method == http.MethodPost && rest == "", r.Method == http.MethodPut && rest != "":
			problem = explainResource(body(r), *k)
		case r.Method == http.MethodPatch && rest != "":
			problem = explainPatch(body(r))
		}
		if problem != nil {
			writeError(w, *problem)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// body reads the request body and puts it back for the handlers after.
func body(r *http.Request) []byte {
	b, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(b))
	return b
}

// explainFilter names what is wrong with a list's filter: where it cannot be read, or which
// attribute or comparison Lobby does not filter on.
func explainFilter(raw string, k resourceKind) *scimerr.ScimError {
	if strings.TrimSpace(raw) == "" {
		return nil
	}
	e, err := filter.ParseFilter([]byte(raw))
	if err != nil {
		p := badFilter(fmt.Sprintf("the filter %q cannot be read: write it like userName eq \"ann@example.com\"", raw))
		return &p
	}
	if _, err := toCond(e, k); err != nil {
		if se, ok := err.(scimerr.ScimError); ok {
			return &se
		}
		p := badFilter(err.Error())
		return &p
	}
	return nil
}

// explainResource checks a User or Group body: a JSON object that lists its core schema, and
// an active that is true or false.
func explainResource(b []byte, k resourceKind) *scimerr.ScimError {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b, &doc); err != nil {
		p := scimerr.ScimError{Status: http.StatusBadRequest, ScimType: scimerr.ScimTypeInvalidSyntax,
			Detail: "The body must be a JSON object (a " + k.name + " resource)."}
		return &p
	}
	if p := needSchema(doc, k.urn); p != nil {
		return p
	}
	if raw, ok := doc["active"]; ok {
		var b bool
		var s string
		if json.Unmarshal(raw, &b) != nil && (json.Unmarshal(raw, &s) != nil || (!strings.EqualFold(s, "true") && !strings.EqualFold(s, "false"))) {
			p := badValue(fmt.Sprintf("active must be true or false, not %s", raw))
			return &p
		}
	}
	return nil
}

// explainPatch checks a PATCH body: the PatchOp schema, and at least one operation, each of
// them add, remove or replace.
func explainPatch(b []byte) *scimerr.ScimError {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b, &doc); err != nil {
		p := scimerr.ScimError{Status: http.StatusBadRequest, ScimType: scimerr.ScimTypeInvalidSyntax,
			Detail: "The body must be a JSON object (a PatchOp message)."}
		return &p
	}
	if p := needSchema(doc, patchURN); p != nil {
		return p
	}
	var ops []struct {
		Op string `json:"op"`
	}
	var raw json.RawMessage
	for key, v := range doc {
		if strings.EqualFold(key, "Operations") {
			raw = v
		}
	}
	if raw == nil || json.Unmarshal(raw, &ops) != nil || len(ops) == 0 {
		p := badValue("Operations must be a list of at least one operation, each with an op (add, remove or replace)")
		return &p
	}
	for i, o := range ops {
		switch strings.ToLower(o.Op) {
		case "add", "remove", "replace":
		default:
			p := badValue(fmt.Sprintf("Operations[%d].op must be add, remove or replace, not %q", i, o.Op))
			return &p
		}
	}
	return nil
}

// needSchema checks that a body's schemas list names urn.
func needSchema(doc map[string]json.RawMessage, urn string) *scimerr.ScimError {
	var schemas []string
	_ = json.Unmarshal(doc["schemas"], &schemas)
	for _, s := range schemas {
		if strings.EqualFold(s, urn) {
			return nil
		}
	}
	p := scimerr.ScimError{Status: http.StatusBadRequest, ScimType: scimerr.ScimTypeInvalidSyntax,
		Detail: fmt.Sprintf("schemas must list %q", urn)}
	return &p
}
