// Package token owns the format of Lobby's secret tokens: invitation, join, reset,
// API, SCIM, session and setup tokens.
//
// A token is a readable prefix naming its kind ("lbi_" for an invitation, …)
// followed by 32 bytes from crypto/rand in lower-case base32 without padding.
// Only Hash(token) — the hex SHA-256 of the whole token — is ever stored. Looks is
// a cheap format check so junk never reaches the database, and Redact strips
// tokens from text bound for logs.
//
// This package must not touch the database, HTTP or logs; expiry and single use
// are the business of the stores that keep the hashes.
package token
