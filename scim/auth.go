package scim

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	scimerr "github.com/elimity-com/scim/errors"

	"github.com/lobby/lobby/app/org"
)

type actorKey struct{}

// actor is the SCIM token's actor that authenticate put in the request.
func actor(r *http.Request) org.Actor {
	a, _ := r.Context().Value(actorKey{}).(org.Actor)
	return a
}

// authenticate lets through only requests with a valid SCIM bearer token in the Authorization
// header, and puts the token's actor (its organization and name) in the request context.
func (h *handler) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, ok := bearer(r.Header.Get("Authorization"))
		if !ok {
			unauthorized(w, "Send a SCIM token in the Authorization header: Bearer <token>.")
			return
		}
		a, err := h.org.Authenticate(r.Context(), "scim", tok)
		if err != nil {
			if errors.Is(err, org.ErrTokenExpired) {
				unauthorized(w, "The SCIM token has expired; create a new one in Lobby's console (Settings, API and SCIM tokens).")
				return
			}
			if e, ok := org.AsError(err); ok && e.Code == org.CodeUnauthenticated {
				unauthorized(w, "The SCIM token is unknown or revoked; create a new one in Lobby's console.")
				return
			}
			h.log.Error("Could not check a SCIM token.", "err", err)
			writeError(w, scimerr.ScimErrorInternal)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), actorKey{}, a)))
	})
}

// bearer reads the token of an Authorization header of the form "Bearer <token>".
func bearer(header string) (string, bool) {
	scheme, tok, _ := strings.Cut(strings.TrimSpace(header), " ")
	tok = strings.TrimSpace(tok)
	return tok, strings.EqualFold(scheme, "Bearer") && tok != ""
}

func unauthorized(w http.ResponseWriter, detail string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="Lobby SCIM"`)
	writeError(w, scimerr.ScimError{Status: http.StatusUnauthorized, Detail: detail})
}

// ErrorBody is the SCIM error body (RFC 7644, section 3.12) of status and detail, for answers
// written in front of the endpoint.
func ErrorBody(status int, detail string) []byte {
	b, _ := json.Marshal(scimerr.ScimError{Status: status, Detail: detail})
	return b
}

// writeError answers with the SCIM error body.
func writeError(w http.ResponseWriter, e scimerr.ScimError) {
	b, _ := json.Marshal(e)
	w.Header().Set("Content-Type", "application/scim+json")
	w.WriteHeader(e.Status)
	_, _ = w.Write(b)
}
