package oidc

import (
	"errors"
	"fmt"
	"net"
	"strings"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Kind sorts what went wrong with a provider by what the person (or the admin) can do about it.
type Kind string

// The kinds of provider failure.
const (
	// KindUnavailable: the provider could not be reached (discovery, token or key fetch).
	KindUnavailable Kind = "unavailable"
	// KindDenied: the person cancelled or the provider refused them (access_denied and the like).
	KindDenied Kind = "denied"
	// KindProvider: the provider reported another error on the way back.
	KindProvider Kind = "provider_error"
	// KindClient: the provider does not accept Lobby's client id or secret.
	KindClient Kind = "client_rejected"
	// KindStale: the sign-in took too long or its code was used already; start again.
	KindStale Kind = "stale"
	// KindClock: the ID token is expired or not yet valid: the two clocks disagree.
	KindClock Kind = "clock_skew"
	// KindKey: the ID token's signature does not match the provider's published keys.
	KindKey Kind = "bad_signature"
	// KindInvalid: the ID token is not for Lobby (issuer, audience, nonce) or is malformed.
	KindInvalid Kind = "invalid_token"
)

// Error is a failure talking to a provider. Code is the provider's error code when it sent
// one (access_denied, invalid_client…) or Lobby's own (wrong_nonce, wrong_audience…).
// Neither its text nor Code ever holds a token.
type Error struct {
	Kind     Kind
	Code     string
	Provider string
	Err      error
}

// Error says which provider failed, how, and why.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("oidc provider %s: %s (%s): %v", e.Provider, e.Kind, e.Code, e.Err)
	}
	return fmt.Sprintf("oidc provider %s: %s (%s)", e.Provider, e.Kind, e.Code)
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// LogAttrs are the fields of the admin's log line: provider, kind, error code and a detail
// that never includes a token (a token endpoint's body is reduced to its description).
func (e *Error) LogAttrs() []any {
	detail := ""
	var re *oauth2.RetrieveError
	switch {
	case errors.As(e.Err, &re):
		detail = re.ErrorDescription
		if detail == "" && re.Response != nil {
			detail = re.Response.Status
		}
	case e.Err != nil:
		detail = e.Err.Error()
	}
	return []any{"provider", e.Provider, "kind", string(e.Kind), "error_code", e.Code, "detail", clean(detail, 300)}
}

// AsError finds an *Error in err's chain.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// CallbackError turns the error parameters a provider sent back to the redirect URI into an
// *Error. The code is cut to a short token so it is safe to log and show.
func CallbackError(provider, code, description string) *Error {
	code = clean(code, 64)
	kind := KindProvider
	switch code {
	case "access_denied", "login_required", "consent_required", "interaction_required", "account_selection_required":
		kind = KindDenied
	case "temporarily_unavailable", "server_error":
		kind = KindUnavailable
	case "unauthorized_client", "invalid_client", "invalid_scope", "unsupported_response_type", "invalid_request":
		kind = KindClient
	}
	var err error
	if d := clean(description, 300); d != "" {
		err = errors.New(d)
	}
	return &Error{Kind: kind, Code: code, Provider: provider, Err: err}
}

// exchangeError classifies a failed code exchange.
func exchangeError(provider string, err error) *Error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		code := clean(re.ErrorCode, 64)
		switch code {
		case "invalid_client", "unauthorized_client", "unsupported_grant_type":
			return &Error{Kind: KindClient, Code: code, Provider: provider, Err: err}
		case "invalid_grant":
			return &Error{Kind: KindStale, Code: code, Provider: provider, Err: err}
		}
		if code == "" && re.Response != nil && re.Response.StatusCode == 401 {
			return &Error{Kind: KindClient, Code: "http_401", Provider: provider, Err: err}
		}
		if code == "" {
			code = "token_endpoint_failed"
		}
		return &Error{Kind: KindProvider, Code: code, Provider: provider, Err: err}
	}
	return &Error{Kind: KindUnavailable, Code: "token_endpoint_unreachable", Provider: provider, Err: err}
}

// verifyError classifies a failed ID token check by go-oidc.
func verifyError(provider string, err error) *Error {
	var exp *gooidc.TokenExpiredError
	var ne net.Error
	msg := err.Error()
	switch {
	case errors.As(err, &exp):
		return &Error{Kind: KindClock, Code: "id_token_expired", Provider: provider, Err: err}
	case strings.Contains(msg, "nbf"):
		return &Error{Kind: KindClock, Code: "id_token_not_yet_valid", Provider: provider, Err: err}
	case strings.Contains(msg, "different provider"):
		return &Error{Kind: KindInvalid, Code: "wrong_issuer", Provider: provider, Err: err}
	case strings.Contains(msg, "expected audience"):
		return &Error{Kind: KindInvalid, Code: "wrong_audience", Provider: provider, Err: err}
	case errors.As(err, &ne) || strings.Contains(msg, "fetching keys"):
		return &Error{Kind: KindUnavailable, Code: "keys_unreachable", Provider: provider, Err: err}
	case strings.Contains(msg, "signature"):
		return &Error{Kind: KindKey, Code: "bad_signature", Provider: provider, Err: err}
	}
	return &Error{Kind: KindInvalid, Code: "invalid_id_token", Provider: provider, Err: err}
}

// clean keeps printable ASCII and cuts s to n bytes: provider strings reach logs and pages.
func clean(s string, n int) string {
	b := make([]byte, 0, min(len(s), n))
	for i := 0; i < len(s) && len(b) < n; i++ {
		if c := s[i]; c >= 0x20 && c < 0x7f {
			b = append(b, c)
		}
	}
	return string(b)
}
