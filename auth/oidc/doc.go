// Package oidc signs people in with OpenID Connect providers configured in [[oidc.providers]]:
// the authorization code flow with PKCE (S256), a state and a nonce bound to the browser and
// used once, and the verified identity (issuer, subject, and the email only when the provider
// says it verified it).
//
// Providers are discovered lazily with coreos/go-oidc, on the first sign-in that needs them,
// so Lobby starts while an identity provider is down. A flow in progress is a link_tokens row
// (kind "oidc") keyed by the SHA-256 of its state, whose data is sealed with a key only the
// browser's cookie holds: the database never sees the nonce, the PKCE verifier or an
// invitation token in the clear, and another browser cannot use a stolen state.
//
// It knows nothing of accounts or organizations (app/org decides what an identity may do) and
// nothing of HTTP routing (app/web sets the cookie and renders the pages).
package oidc
