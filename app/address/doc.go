// Package address owns the one parser and normaliser for email addresses in Lobby.
//
// Every address that enters Lobby — from a form, a pasted list, a CSV file, the API,
// SCIM or an OIDC claim — goes through Parse, and the string Parse returns is the one
// that is checked, stored, compared and mailed to. Parse accepts a bare local@domain
// only: no display name, no comment, no quoted local part, no whitespace or control
// characters, no lists. The domain is lower-cased and converted to ASCII with IDNA.
//
// DomainAllowed matches whole domains (and, when asked, subdomains on a dot boundary)
// for join-page whitelists. SplitList is the paste box: the only place a display name
// ("Name <email>") is understood, and it hands each address to Parse.
//
// This package must not touch the database, the network or the mailer; it is pure.
package address
